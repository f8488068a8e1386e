package io.switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.config.SwitchboardConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * Random sequences of what edges, timers and the API can send a ringing call, checked against the
 * invariants every call must keep whatever happens: at most one callee connected with the caller,
 * the ended state absorbs everything, exactly one CallEnded, and the record's durations add up.
 */
class CallPropertiesTest {
  static final ActorTestKit kit = ActorTestKit.create("CallPropertiesTest",
      EventSourcedBehaviorTestKit.config().withFallback(SwitchboardConfig.load()));
  static final AtomicInteger calls = new AtomicInteger();
  static final CallSettings SETTINGS = new CallSettings(Duration.ofSeconds(30), Duration.ofHours(4), 5);
  static final HangupCause[] REJECTIONS = {HangupCause.BUSY, HangupCause.REJECTED, HangupCause.UNAVAILABLE,
      HangupCause.FAILED};

  /** One thing that can happen to the call. {@code device} picks one of the three ringing devices. */
  record Action(Kind kind, int device, int causeIndex, int seconds) {
    enum Kind {
      ALERT, EARLY_MEDIA, ANSWER, REJECT, CALLER_HANGS_UP, DEVICE_HANGS_UP, HOLD, RESUME, DTMF, BLIND_TRANSFER,
      TRANSFER_ROUTED, TRANSFER_TARGET_ANSWERS, TRANSFER_TARGET_REJECTS, RING_TIMEOUT, TRANSFER_RING_TIMEOUT,
      MAX_DURATION, API_HANGUP
    }
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Action> action = net.jqwik.api.Combinators.combine(
        Arbitraries.of(Action.Kind.class), Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, REJECTIONS.length - 1), Arbitraries.integers().between(0, 90))
        .as(Action::new);
    return action.list().ofMinSize(1).ofMaxSize(25);
  }

  @AfterContainer
  static void shutDown() {
    kit.shutdownTestKit();
  }

  @Property(tries = 150)
  void everyCallKeepsItsInvariants(@ForAll("actions") List<Action> actions) {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    TestRouting routing = new TestRouting();
    String callId = "prop-" + calls.incrementAndGet();
    EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call = EventSourcedBehaviorTestKit.create(
        kit.system(), Call.create(callId, SETTINGS, routing, id -> kit.createTestProbe(CallCommand.class).ref(),
            clock),
        EventSourcedBehaviorTestKit.disabledSerializationSettings());
    TestProbe<LegCommand> edge = kit.createTestProbe();
    List<CallEvent> events = new ArrayList<>();
    events.addAll(call.<org.apache.pekko.pattern.StatusReply<CallCommand.CallInfo>>runCommand(replyTo ->
        new CallCommand.Originate("acme", "caller", Party.of("100"), Optional.of("alice"), edge.ref(), "200",
            Direction.INTERNAL, Optional.of("v=0"), replyTo)).events());
    List<RoutingOutcome.RingTarget> devices = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      devices.add(new RoutingOutcome.RingTarget(Optional.of("bob"), Party.of("200"),
          new Contact("sip:d" + i + "@h", "d" + i, edge.ref(), Instant.parse("2030-01-01T00:00:00Z"))));
    }
    events.addAll(call.runCommand(new CallCommand.RoutingDone(1, new RoutingOutcome.Ring("200", Optional.of("bob"),
        List.of(new RoutingOutcome.RingStep(devices, Duration.ofSeconds(20))), Optional.empty(),
        Optional.empty()))).events());

    for (Action action : actions) {
      clock.advance(Duration.ofSeconds(action.seconds()));
      CallState before = call.getState();
      List<CallEvent> produced = run(call, before, action);
      events.addAll(produced);
      CallState after = call.getState();
      if (before.phase() == CallState.Phase.ENDED) {
        assertEquals(List.of(), produced, "the ended state persisted " + produced + " on " + action);
        assertEquals(CallState.Phase.ENDED, after.phase());
      }
      assertTrue(after.connected().isEmpty() || after.connected().size() == 2, "connected " + after.connected());
      assertEquals(after.connected().size(), after.connected().stream().distinct().count());
      long answers = events.stream().filter(e -> e instanceof CallEvent.CallAnswered).count();
      assertTrue(answers <= 1, "answered twice: " + events);
    }
    if (call.getState().phase() != CallState.Phase.ENDED) {
      events.addAll(call.<org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>>runCommand(replyTo ->
          new CallCommand.Hangup(HangupCause.NORMAL, replyTo)).events());
    }
    List<CallEvent.CallEnded> ends = events.stream().filter(e -> e instanceof CallEvent.CallEnded)
        .map(e -> (CallEvent.CallEnded) e).toList();
    assertEquals(1, ends.size(), "CallEnded events: " + events);
    CallRecord record = ends.get(0).record();
    assertEquals(record.endedAt().toEpochMilli() - record.startedAt().toEpochMilli(), record.duration().toMillis());
    record.answeredAt().ifPresentOrElse(
        answered -> assertEquals(Duration.between(answered, record.endedAt()), record.billable()),
        () -> assertEquals(Duration.ZERO, record.billable()));
    assertEquals(record.answeredAt().isPresent(), record.disposition() == CallRecord.Disposition.ANSWERED);
    assertTrue(call.getState().liveLegs().isEmpty(), "live legs after the end: " + call.getState().liveLegs());
    // Recovery from the journal gives the same ended state.
    assertEquals(call.getState(), call.restart().state());
  }

  private static List<CallEvent> run(EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call,
                                     CallState s, Action a) {
    String device = s.callId() + "/" + (a.device() + 1);
    Optional<String> connectedCallee = s.connected().size() == 2 ? Optional.of(s.connected().get(1))
        : Optional.empty();
    String transferTarget = s.callId() + "/" + (s.nextLegNumber() - 1);
    return switch (a.kind()) {
      case ALERT -> report(call, r -> new CallCommand.LegAlerting(device, Optional.empty(), r));
      case EARLY_MEDIA -> report(call, r -> new CallCommand.LegAlerting(device, Optional.of("v=0 early"), r));
      case ANSWER -> report(call, r -> new CallCommand.LegAnswered(device, "v=0 " + device, r));
      case REJECT -> report(call, r -> new CallCommand.LegRejected(device, REJECTIONS[a.causeIndex()], r));
      case CALLER_HANGS_UP -> report(call, r -> new CallCommand.LegHungUp("caller",
          s.answeredAt().isPresent() ? HangupCause.NORMAL : HangupCause.CANCELLED, r));
      case DEVICE_HANGS_UP -> report(call, r -> new CallCommand.LegHungUp(connectedCallee.orElse(device),
          HangupCause.NORMAL, r));
      case HOLD -> report(call, r -> new CallCommand.LegHoldChanged("caller", true, r));
      case RESUME -> report(call, r -> new CallCommand.LegHoldChanged("caller", false, r));
      case DTMF -> report(call, r -> new CallCommand.LegDtmf("caller", "1", r));
      case BLIND_TRANSFER -> report(call, r -> new CallCommand.LegTransferRequested(connectedCallee.orElse(device),
          "300", r));
      case TRANSFER_ROUTED -> call.runCommand(new CallCommand.RoutingDone(s.nextAttemptId() - 1,
          new RoutingOutcome.Ring("300", Optional.of("carol"), List.of(new RoutingOutcome.RingStep(List.of(
              new RoutingOutcome.RingTarget(Optional.of("carol"), Party.of("300"), new Contact("sip:c@h", "c",
                  s.callerLeg().edge(), Instant.parse("2030-01-01T00:00:00Z")))), Duration.ofSeconds(20))),
              Optional.empty(), Optional.empty()))).events();
      case TRANSFER_TARGET_ANSWERS -> report(call, r -> new CallCommand.LegAnswered(transferTarget, "v=0 t", r));
      case TRANSFER_TARGET_REJECTS -> report(call, r -> new CallCommand.LegRejected(transferTarget,
          REJECTIONS[a.causeIndex()], r));
      case RING_TIMEOUT -> call.runCommand(new CallCommand.RingTimeout(1, 0)).events();
      case TRANSFER_RING_TIMEOUT -> call.runCommand(new CallCommand.RingTimeout(s.nextAttemptId() - 1, 0)).events();
      case MAX_DURATION -> call.runCommand(new CallCommand.MaxDurationReached()).events();
      case API_HANGUP -> call.<org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>>runCommand(replyTo ->
          new CallCommand.Hangup(HangupCause.NORMAL, replyTo)).events();
    };
  }

  private static List<CallEvent> report(EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call,
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<
          org.apache.pekko.Done>>, CallCommand> report) {
    return call.runCommand(report).events();
  }
}
