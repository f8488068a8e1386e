package io.switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.call.CallCommand.CallInfo;
import io.switchboard.call.CallEvent.Purpose;
import io.switchboard.call.CallEvent.TransferKind;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.config.SwitchboardConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every transition of the Call entity: the reply, the exact persisted events (verified through
 * their Protobuf codecs) and what each leg is told. Routing answers are driven by the test as
 * {@link CallCommand.RoutingDone} commands so that their events are observed exactly.
 */
class CallEntityTest {
  static final ActorTestKit kit = ActorTestKit.create("CallEntityTest",
      EventSourcedBehaviorTestKit.config().withFallback(SwitchboardConfig.load()));
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  static final CallSettings SETTINGS = new CallSettings(Duration.ofSeconds(30), Duration.ofHours(4), 5);
  static final String OFFER = "v=0 caller offer";

  final MutableClock clock = new MutableClock(T0);
  final TestRouting routing = new TestRouting();
  final Map<String, ActorRef<CallCommand>> otherCalls = new ConcurrentHashMap<>();
  TestProbe<LegCommand> callerEdge;
  TestProbe<LegCommand> deskEdge;
  TestProbe<LegCommand> mobileEdge;
  EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call;
  static int counter;

  @BeforeEach
  void setUp() {
    callerEdge = kit.createTestProbe("caller-edge");
    deskEdge = kit.createTestProbe("desk-edge");
    mobileEdge = kit.createTestProbe("mobile-edge");
    call = newCall("call-" + (++counter));
  }

  EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> newCall(String callId) {
    return newCall(callId, SETTINGS);
  }

  EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> newCall(String callId, CallSettings settings) {
    return EventSourcedBehaviorTestKit.create(kit.system(),
        Call.create(callId, settings, routing, this::peer, clock),
        EventSourcedBehaviorTestKit.enabledSerializationSettings());
  }

  /** Like sharding: any call id reaches an entity, a fresh one if nobody started it. */
  ActorRef<CallCommand> peer(String callId) {
    return otherCalls.computeIfAbsent(callId, id -> kit.spawn(Call.create(id, SETTINGS, routing, this::peer, clock)));
  }

  @AfterAll
  static void shutDown() {
    kit.shutdownTestKit();
  }

  // --- helpers ---

  String id() {
    return call.getState().callId();
  }

  Contact contact(TestProbe<LegCommand> edge, String device) {
    return new Contact("sip:" + device + "@10.0.0.1", device, edge.ref(), T0.plus(Duration.ofHours(1)));
  }

  RoutingOutcome.RingTarget target(String user, String extension, TestProbe<LegCommand> edge, String device) {
    return new RoutingOutcome.RingTarget(Optional.of(user), Party.of(extension), contact(edge, device));
  }

  /** Extension 200 (user bob) with a desk phone and a mobile, rung together. */
  RoutingOutcome.Ring bobsTwoDevices(Optional<String> forwardOnNoAnswer, Optional<String> forwardOnBusy) {
    return new RoutingOutcome.Ring("200", Optional.of("bob"), List.of(new RoutingOutcome.RingStep(
        List.of(target("bob", "200", deskEdge, "desk"), target("bob", "200", mobileEdge, "mobile")),
        Duration.ofSeconds(20))), forwardOnNoAnswer, forwardOnBusy);
  }

  RoutingOutcome.Ring oneDevice(String extension, String user, TestProbe<LegCommand> edge) {
    return new RoutingOutcome.Ring(extension, Optional.of(user), List.of(new RoutingOutcome.RingStep(
        List.of(target(user, extension, edge, user + "-phone")), Duration.ofSeconds(20))), Optional.empty(),
        Optional.empty());
  }

  CallInfo originate(String dialled) {
    CommandResultWithReply<CallCommand, CallEvent, CallState, StatusReply<CallInfo>> r = call.runCommand(
        replyTo -> new CallCommand.Originate("acme", "alice-leg", new Party("100", "Alice"), Optional.of("alice"),
            callerEdge.ref(), dialled, Direction.INTERNAL, Optional.of(OFFER), replyTo));
    assertEquals(List.of(new CallEvent.CallStarted(id(), "acme", Direction.INTERNAL, new Party("100", "Alice"),
        Optional.of("alice"), "alice-leg", callerEdge.ref(), dialled, Optional.of(OFFER), T0,
        T0.plus(Duration.ofHours(4)))), r.events());
    assertEquals(CallState.Phase.ROUTING, r.reply().getValue().phase());
    return r.reply().getValue();
  }

  StatusReply<Done> report(java.util.function.Function<ActorRef<StatusReply<Done>>, CallCommand> report,
                           List<CallEvent> expectedEvents) {
    CommandResultWithReply<CallCommand, CallEvent, CallState, StatusReply<Done>> r = call.runCommand(report);
    assertEquals(expectedEvents, r.events());
    return r.reply();
  }

  void ack(java.util.function.Function<ActorRef<StatusReply<Done>>, CallCommand> report, CallEvent... expected) {
    StatusReply<Done> reply = report(report, List.of(expected));
    assertTrue(reply.isSuccess(), () -> "refused: " + reply);
  }

  List<CallEvent> internal(CallCommand command) {
    CommandResult<CallCommand, CallEvent, CallState> r = call.runCommand(command);
    return r.events();
  }

  /** Alice calls 200; bob's desk and mobile ring; the desk answers. */
  void connectAliceWithBobsDesk() {
    originate("200");
    RoutingOutcome.Ring route = bobsTwoDevices(Optional.empty(), Optional.empty());
    internal(new CallCommand.RoutingDone(1, route));
    deskEdge.expectMessageClass(LegCommand.OfferLeg.class);
    mobileEdge.expectMessageClass(LegCommand.OfferLeg.class);
    ack(r -> new CallCommand.LegAnswered(id() + "/1", "v=0 desk answer", r),
        new CallEvent.CallAnswered(id() + "/1", "v=0 desk answer", T0, List.of(id() + "/2")));
    callerEdge.expectMessage(new LegCommand.AnswerLeg(id(), "alice-leg", "v=0 desk answer"));
    mobileEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/2", HangupCause.CANCELLED));
  }

  /** Connected alice and bob; bob asks for a blind transfer of alice to 300; returns carol's edge. */
  TestProbe<LegCommand> bobTransfersAliceBlindTo300() {
    connectAliceWithBobsDesk();
    String bob = id() + "/1";
    ack(r -> new CallCommand.LegTransferRequested(bob, "300", r),
        new CallEvent.TransferStarted(1, TransferKind.BLIND, bob, "alice-leg", "300", ""));
    callerEdge.expectMessage(new LegCommand.HoldLeg(id(), "alice-leg"));
    return kit.createTestProbe("carol-edge");
  }

  CallRecord endedRecord(List<CallEvent> events) {
    return ((CallEvent.CallEnded) events.get(events.size() - 1)).record();
  }

  // --- the transitions ---

  @Test
  void forksToEveryDeviceAndTheFirstAnswerWins() {
    originate("200");
    RoutingOutcome.Ring route = bobsTwoDevices(Optional.empty(), Optional.empty());
    assertEquals(List.of(new CallEvent.RouteSelected(1, Purpose.CALL, route),
            new CallEvent.RingStepStarted(1, 0, List.of(id() + "/1", id() + "/2"), T0.plusSeconds(20))),
        internal(new CallCommand.RoutingDone(1, route)));
    deskEdge.expectMessage(new LegCommand.OfferLeg(id(), id() + "/1", "acme", "sip:desk@10.0.0.1",
        new Party("100", "Alice"), Party.of("200"), Optional.of(OFFER)));
    mobileEdge.expectMessage(new LegCommand.OfferLeg(id(), id() + "/2", "acme", "sip:mobile@10.0.0.1",
        new Party("100", "Alice"), Party.of("200"), Optional.of(OFFER)));
    assertEquals(CallState.Phase.RINGING, call.getState().phase());

    ack(r -> new CallCommand.LegAlerting(id() + "/2", Optional.empty(), r),
        new CallEvent.LegAlerted(id() + "/2", Optional.empty()));
    callerEdge.expectMessage(new LegCommand.AlertLeg(id(), "alice-leg", Optional.empty()));
    // A second 180 from the same device changes nothing.
    ack(r -> new CallCommand.LegAlerting(id() + "/2", Optional.empty(), r));

    clock.advance(Duration.ofSeconds(5));
    ack(r -> new CallCommand.LegAnswered(id() + "/2", "v=0 mobile answer", r),
        new CallEvent.CallAnswered(id() + "/2", "v=0 mobile answer", T0.plusSeconds(5), List.of(id() + "/1")));
    callerEdge.expectMessage(new LegCommand.AnswerLeg(id(), "alice-leg", "v=0 mobile answer"));
    deskEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/1", HangupCause.CANCELLED));
    assertEquals(List.of("alice busy on " + id(), "bob busy on " + id()), routing.activity);

    clock.advance(Duration.ofSeconds(60));
    ack(r -> new CallCommand.LegHungUp("alice-leg", HangupCause.NORMAL, r),
        new CallEvent.CallEnded(call.getState().record(HangupCause.NORMAL, T0.plusSeconds(65))));
    mobileEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/2", HangupCause.NORMAL));
    CallRecord record = call.getState().ended().orElseThrow();
    assertEquals(HangupCause.NORMAL, record.cause());
    assertEquals(CallRecord.Disposition.ANSWERED, record.disposition());
    assertEquals(Party.of("200"), record.callee());
    assertEquals(Duration.ofSeconds(65), record.duration());
    assertEquals(60, record.billableSeconds());
    assertEquals(List.of(
        new CallRecord.LegSummary("alice-leg", CallLeg.Role.CALLER, "100", CallLeg.Status.ENDED),
        new CallRecord.LegSummary(id() + "/1", CallLeg.Role.CALLEE, "200", CallLeg.Status.FAILED),
        new CallRecord.LegSummary(id() + "/2", CallLeg.Role.CALLEE, "200", CallLeg.Status.ENDED)), record.legs());
    assertTrue(routing.activity.contains("bob free of " + id()));
  }

  @Test
  void twoDevicesAnsweringAtOnceExactlyOneWinsAndTheOtherIsCancelled() {
    connectAliceWithBobsDesk();
    // The mobile's 200 OK crossed our CANCEL: it is acknowledged, persists nothing, and is hung up.
    ack(r -> new CallCommand.LegAnswered(id() + "/2", "v=0 mobile answer", r));
    mobileEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/2", HangupCause.CANCELLED));
    callerEdge.expectNoMessage(Duration.ofMillis(100));
    assertEquals(List.of("alice-leg", id() + "/1"), call.getState().connected());
  }

  @Test
  void busyCalleeEndsTheCallBusy() {
    originate("200");
    internal(new CallCommand.RoutingDone(1, oneDevice("200", "bob", deskEdge)));
    deskEdge.expectMessageClass(LegCommand.OfferLeg.class);
    StatusReply<Done> reply = report(r -> new CallCommand.LegRejected(id() + "/1", HangupCause.BUSY, r), List.of(
        new CallEvent.LegFailed(id() + "/1", HangupCause.BUSY),
        new CallEvent.CallEnded(recordAfter(HangupCause.BUSY))));
    assertTrue(reply.isSuccess());
    callerEdge.expectMessage(new LegCommand.HangupLeg(id(), "alice-leg", HangupCause.BUSY));
    CallRecord record = call.getState().ended().orElseThrow();
    assertEquals(CallRecord.Disposition.BUSY, record.disposition());
    assertEquals(486, record.cause().sipStatus());
    assertEquals(17, record.cause().q850Cause());
    assertEquals(Duration.ZERO, record.billable());
  }

  /** The record the call will end with when every callee leg has failed as it has now. */
  CallRecord recordAfter(HangupCause cause) {
    CallState s = call.getState();
    CallState failed = s;
    for (CallLeg leg : s.ringingLegs()) {
      failed = failed.apply(new CallEvent.LegFailed(leg.legId(), cause));
    }
    return failed.record(cause, clock.instant());
  }

  @Test
  void noAnswerThenForwarded() {
    originate("200");
    RoutingOutcome.Ring route = oneDevice("200", "bob", deskEdge);
    route = new RoutingOutcome.Ring(route.target(), route.userId(), route.steps(), Optional.of("300"),
        Optional.empty());
    internal(new CallCommand.RoutingDone(1, route));
    deskEdge.expectMessageClass(LegCommand.OfferLeg.class);
    clock.advance(Duration.ofSeconds(20));
    assertEquals(List.of(new CallEvent.LegFailed(id() + "/1", HangupCause.NO_ANSWER),
            new CallEvent.CallForwarded(1, 2, "200", "300", RingPlan.ForwardReason.NO_ANSWER)),
        internal(new CallCommand.RingTimeout(1, 0)));
    deskEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/1", HangupCause.NO_ANSWER));
    assertEquals(CallState.Phase.ROUTING, call.getState().phase());
    // A stale timer of the first attempt does nothing.
    assertEquals(List.of(), internal(new CallCommand.RingTimeout(1, 0)));

    RoutingOutcome.Ring carol = oneDevice("300", "carol", mobileEdge);
    assertEquals(List.of(new CallEvent.RouteSelected(2, Purpose.CALL, carol),
            new CallEvent.RingStepStarted(2, 0, List.of(id() + "/2"), T0.plusSeconds(40))),
        internal(new CallCommand.RoutingDone(2, carol)));
    mobileEdge.expectMessage(new LegCommand.OfferLeg(id(), id() + "/2", "acme", "sip:carol-phone@10.0.0.1",
        new Party("100", "Alice"), Party.of("300"), Optional.of(OFFER)));
    ack(r -> new CallCommand.LegAnswered(id() + "/2", "v=0 carol", r),
        new CallEvent.CallAnswered(id() + "/2", "v=0 carol", T0.plusSeconds(20), List.of()));
    assertEquals(CallState.Phase.CONNECTED, call.getState().phase());
  }

  @Test
  void noAnswerWithoutForwardingEndsNoAnswer() {
    originate("200");
    internal(new CallCommand.RoutingDone(1, oneDevice("200", "bob", deskEdge)));
    clock.advance(Duration.ofSeconds(20));
    List<CallEvent> events = internal(new CallCommand.RingTimeout(1, 0));
    assertEquals(2, events.size());
    assertEquals(new CallEvent.LegFailed(id() + "/1", HangupCause.NO_ANSWER), events.get(0));
    assertEquals(CallRecord.Disposition.NO_ANSWER, endedRecord(events).disposition());
    callerEdge.expectMessage(new LegCommand.HangupLeg(id(), "alice-leg", HangupCause.NO_ANSWER));
  }

  @Test
  void forwardingLoopIsDetected() {
    originate("200");
    assertEquals(List.of(new CallEvent.CallForwarded(1, 2, "bob", "300", RingPlan.ForwardReason.ALWAYS)),
        internal(new CallCommand.RoutingDone(1, new RoutingOutcome.Forward("bob", "300",
            RingPlan.ForwardReason.ALWAYS))));
    List<CallEvent> events = internal(new CallCommand.RoutingDone(2, new RoutingOutcome.Forward("carol", "200",
        RingPlan.ForwardReason.ALWAYS)));
    assertEquals(1, events.size());
    assertEquals(HangupCause.LOOP_DETECTED, endedRecord(events).cause());
    callerEdge.expectMessage(new LegCommand.HangupLeg(id(), "alice-leg", HangupCause.LOOP_DETECTED));
  }

  @Test
  void callerHangsUpWhileRingingAndALateAnswerIsHungUp() {
    originate("200");
    internal(new CallCommand.RoutingDone(1, bobsTwoDevices(Optional.empty(), Optional.empty())));
    deskEdge.expectMessageClass(LegCommand.OfferLeg.class);
    mobileEdge.expectMessageClass(LegCommand.OfferLeg.class);
    CallRecord expected = call.getState().record(HangupCause.CANCELLED, T0);
    ack(r -> new CallCommand.LegHungUp("alice-leg", HangupCause.CANCELLED, r), new CallEvent.CallEnded(expected));
    deskEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/1", HangupCause.CANCELLED));
    mobileEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/2", HangupCause.CANCELLED));
    callerEdge.expectNoMessage(Duration.ofMillis(100));
    assertEquals(CallRecord.Disposition.CANCELLED, expected.disposition());

    // The answer lost the race: acknowledged, nothing persisted, the leg is told to hang up (BYE).
    ack(r -> new CallCommand.LegAnswered(id() + "/1", "v=0 late", r));
    deskEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/1", HangupCause.CANCELLED));
  }

  @Test
  void theEndedStateAbsorbsEveryLateMessage() {
    connectAliceWithBobsDesk();
    ack(r -> new CallCommand.LegHungUp(id() + "/1", HangupCause.NORMAL, r),
        new CallEvent.CallEnded(call.getState().record(HangupCause.NORMAL, T0)));
    callerEdge.expectMessage(new LegCommand.HangupLeg(id(), "alice-leg", HangupCause.NORMAL));
    ack(r -> new CallCommand.LegHungUp("alice-leg", HangupCause.NORMAL, r));
    ack(r -> new CallCommand.LegHoldChanged("alice-leg", true, r));
    ack(r -> new CallCommand.LegTransferRequested("alice-leg", "300", r));
    assertTrue(call.<StatusReply<Done>>runCommand(r -> new CallCommand.Hangup(HangupCause.NORMAL, r)).events()
        .isEmpty());
    assertEquals(List.of(), internal(new CallCommand.MaxDurationReached()));
    assertEquals(List.of(), internal(new CallCommand.RingTimeout(1, 0)));
    CommandResultWithReply<CallCommand, CallEvent, CallState, StatusReply<CallInfo>> again = call.runCommand(
        replyTo -> new CallCommand.Originate("acme", "alice-leg", new Party("100", "Alice"), Optional.of("alice"),
            callerEdge.ref(), "200", Direction.INTERNAL, Optional.of(OFFER), replyTo));
    assertTrue(again.events().isEmpty());
    assertEquals(CallState.Phase.ENDED, again.reply().getValue().phase());
    assertEquals(1, call.getState().legs().values().stream().filter(l -> l.role() == CallLeg.Role.CALLER).count());
  }

  @Test
  void holdAndResumeAreRelayedToTheOtherParty() {
    connectAliceWithBobsDesk();
    ack(r -> new CallCommand.LegHoldChanged("alice-leg", true, r), new CallEvent.HoldChanged("alice-leg", true));
    deskEdge.expectMessage(new LegCommand.HoldLeg(id(), id() + "/1"));
    ack(r -> new CallCommand.LegHoldChanged("alice-leg", true, r));
    ack(r -> new CallCommand.LegHoldChanged("alice-leg", false, r), new CallEvent.HoldChanged("alice-leg", false));
    deskEdge.expectMessage(new LegCommand.ResumeLeg(id(), id() + "/1"));
    ack(r -> new CallCommand.LegDtmf(id() + "/1", "42#", r));
    callerEdge.expectMessage(new LegCommand.SendDtmf(id(), "alice-leg", "42#"));
  }

  @Test
  void aLateAnswerGoesToTheOtherPartyWithoutAnEvent() {
    connectAliceWithBobsDesk();
    // Alice's INVITE had no offer: Bob's desk offered in its 200, Alice answers in her ACK.
    ack(r -> new CallCommand.LegMediaChanged("alice-leg", "v=0 alice's answer", r));
    deskEdge.expectMessage(new LegCommand.UpdateLegMedia(id(), id() + "/1", "v=0 alice's answer"));
  }

  @Test
  void earlyMediaReachesTheCaller() {
    originate("200");
    internal(new CallCommand.RoutingDone(1, bobsTwoDevices(Optional.empty(), Optional.empty())));
    ack(r -> new CallCommand.LegAlerting(id() + "/1", Optional.of("v=0 early"), r),
        new CallEvent.LegAlerted(id() + "/1", Optional.of("v=0 early")));
    callerEdge.expectMessage(new LegCommand.AlertLeg(id(), "alice-leg", Optional.of("v=0 early")));
    // Only one early-media stream reaches the caller, and they already hear it ringing.
    ack(r -> new CallCommand.LegAlerting(id() + "/2", Optional.of("v=0 other early"), r),
        new CallEvent.LegAlerted(id() + "/2", Optional.of("v=0 other early")));
    callerEdge.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void blindTransferConnectsTheOtherPartyWithTheTarget() {
    TestProbe<LegCommand> carolEdge = bobTransfersAliceBlindTo300();
    String bob = id() + "/1";
    // A second REFER while the first is in progress is refused.
    assertFalse(report(r -> new CallCommand.LegTransferRequested(bob, "400", r), List.of()).isSuccess());

    RoutingOutcome.Ring carol = oneDevice("300", "carol", carolEdge);
    assertEquals(List.of(new CallEvent.RouteSelected(2, Purpose.TRANSFER, carol),
            new CallEvent.RingStepStarted(2, 0, List.of(id() + "/3"), T0.plusSeconds(20))),
        internal(new CallCommand.RoutingDone(2, carol)));
    carolEdge.expectMessage(new LegCommand.OfferLeg(id(), id() + "/3", "acme", "sip:carol-phone@10.0.0.1",
        new Party("100", "Alice"), Party.of("300"), Optional.of(OFFER)));
    clock.advance(Duration.ofSeconds(3));
    CallLeg carolLeg = new CallLeg(id() + "/3", CallLeg.Role.CALLEE, Party.of("300"), Optional.of("carol"),
        carolEdge.ref(), CallLeg.Status.ANSWERED, Optional.of("v=0 carol"));
    ack(r -> new CallCommand.LegAnswered(id() + "/3", "v=0 carol", r),
        new CallEvent.TransferCompleted(1, carolLeg, T0.plusSeconds(3)));
    deskEdge.expectMessage(new LegCommand.TransferOutcome(id(), bob, true, HangupCause.NORMAL));
    deskEdge.expectMessage(new LegCommand.HangupLeg(id(), bob, HangupCause.NORMAL));
    callerEdge.expectMessage(new LegCommand.UpdateLegMedia(id(), "alice-leg", "v=0 carol"));
    callerEdge.expectMessage(new LegCommand.ResumeLeg(id(), "alice-leg"));
    assertEquals(List.of("alice-leg", id() + "/3"), call.getState().connected());

    // Bob's BYE after the transfer is absorbed; Alice and Carol talk until Carol hangs up.
    ack(r -> new CallCommand.LegHungUp(bob, HangupCause.NORMAL, r));
    ack(r -> new CallCommand.LegHungUp(id() + "/3", HangupCause.NORMAL, r),
        new CallEvent.CallEnded(call.getState().record(HangupCause.NORMAL, T0.plusSeconds(3))));
    CallRecord record = call.getState().ended().orElseThrow();
    assertEquals(List.of("300"), record.transferChain());
    assertEquals(Party.of("300"), record.callee());
    callerEdge.expectMessage(new LegCommand.HangupLeg(id(), "alice-leg", HangupCause.NORMAL));
  }

  @Test
  void whenTheTransferTargetRejectsThePartiesAreReconnected() {
    TestProbe<LegCommand> carolEdge = bobTransfersAliceBlindTo300();
    String bob = id() + "/1";
    internal(new CallCommand.RoutingDone(2, oneDevice("300", "carol", carolEdge)));
    carolEdge.expectMessageClass(LegCommand.OfferLeg.class);
    ack(r -> new CallCommand.LegRejected(id() + "/3", HangupCause.REJECTED, r),
        new CallEvent.LegFailed(id() + "/3", HangupCause.REJECTED),
        new CallEvent.TransferFailed(1, HangupCause.REJECTED));
    deskEdge.expectMessage(new LegCommand.TransferOutcome(id(), bob, false, HangupCause.REJECTED));
    callerEdge.expectMessage(new LegCommand.ResumeLeg(id(), "alice-leg"));
    CallState s = call.getState();
    assertEquals(CallState.Phase.CONNECTED, s.phase());
    assertEquals(List.of("alice-leg", bob), s.connected());
    assertTrue(s.transfer().isEmpty());
  }

  @Test
  void aTransferorWhoHangsUpLeavesTheTransferGoingAndAFailedTargetEndsTheCall() {
    connectAliceWithBobsDesk();
    TestProbe<LegCommand> carolEdge = kit.createTestProbe("carol-edge");
    String bob = id() + "/1";
    ack(r -> new CallCommand.LegTransferRequested(bob, "300", r),
        new CallEvent.TransferStarted(1, TransferKind.BLIND, bob, "alice-leg", "300", ""));
    ack(r -> new CallCommand.LegHungUp(bob, HangupCause.NORMAL, r), new CallEvent.LegLeft(bob, HangupCause.NORMAL));
    internal(new CallCommand.RoutingDone(2, oneDevice("300", "carol", carolEdge)));
    carolEdge.expectMessageClass(LegCommand.OfferLeg.class);
    // Nobody is left to take Alice back: the call ends, busy, after having been answered.
    CallState beforeEnd = call.getState().apply(new CallEvent.LegFailed(id() + "/3", HangupCause.BUSY))
        .apply(new CallEvent.TransferFailed(1, HangupCause.BUSY));
    ack(r -> new CallCommand.LegRejected(id() + "/3", HangupCause.BUSY, r),
        new CallEvent.LegFailed(id() + "/3", HangupCause.BUSY), new CallEvent.TransferFailed(1, HangupCause.BUSY),
        new CallEvent.CallEnded(beforeEnd.record(HangupCause.BUSY, T0)));
    callerEdge.expectMessage(new LegCommand.HoldLeg(id(), "alice-leg"));
    callerEdge.expectMessage(new LegCommand.HangupLeg(id(), "alice-leg", HangupCause.NORMAL));
    assertEquals(CallRecord.Disposition.ANSWERED, call.getState().ended().orElseThrow().disposition());
  }

  @Test
  void attendedTransferReplacesTheConsultationCall() {
    // Call 1: alice talks to bob's desk. Call 2: bob (leg "bob-2") consults carol.
    connectAliceWithBobsDesk();
    String bob = id() + "/1";
    TestProbe<LegCommand> bobSecondLine = kit.createTestProbe("bob-second-line");
    TestProbe<LegCommand> carolEdge = kit.createTestProbe("carol-edge");
    String consultationId = "consult-" + counter;
    ActorRef<CallCommand> consultation = peer(consultationId);
    TestProbe<StatusReply<CallInfo>> infos = kit.createTestProbe();
    consultation.tell(new CallCommand.Originate("acme", "bob-2", Party.of("200"), Optional.of("bob"),
        bobSecondLine.ref(), "300", Direction.INTERNAL, Optional.of("v=0 bob offer"), infos.ref()));
    infos.expectMessageClass(StatusReply.class);
    consultation.tell(new CallCommand.RoutingDone(1, oneDevice("300", "carol", carolEdge)));
    LegCommand.OfferLeg offer = carolEdge.expectMessageClass(LegCommand.OfferLeg.class);
    TestProbe<StatusReply<Done>> acks = kit.createTestProbe();
    consultation.tell(new CallCommand.LegAnswered(offer.legId(), "v=0 carol answer", acks.ref()));
    acks.expectMessage(StatusReply.ack());
    bobSecondLine.expectMessage(new LegCommand.AnswerLeg(consultationId, "bob-2", "v=0 carol answer"));

    // Bob's phone sends REFER with Replaces on call 1.
    ack(r -> new CallCommand.LegAttendedTransferRequested(bob, consultationId, "bob-2", r),
        new CallEvent.TransferStarted(1, TransferKind.ATTENDED, bob, "alice-leg", consultationId, "bob-2"));
    carolEdge.expectMessage(new LegCommand.MoveLeg(consultationId, offer.legId(), id()));
    bobSecondLine.expectMessage(new LegCommand.HangupLeg(consultationId, "bob-2", HangupCause.NORMAL));
    deskEdge.expectMessage(new LegCommand.TransferOutcome(id(), bob, true, HangupCause.NORMAL));
    deskEdge.expectMessage(new LegCommand.HangupLeg(id(), bob, HangupCause.NORMAL));
    callerEdge.expectMessage(new LegCommand.UpdateLegMedia(id(), "alice-leg", "v=0 carol answer"));
    carolEdge.expectMessage(new LegCommand.UpdateLegMedia(id(), offer.legId(), OFFER));
    callerEdge.expectMessage(new LegCommand.ResumeLeg(id(), "alice-leg"));
    CallState s = call.getState();
    assertEquals(List.of("alice-leg", offer.legId()), s.connected());
    assertEquals(List.of("300"), s.transferChain());

    // The consultation call ended exactly once, handing its leg over.
    TestProbe<StatusReply<CallInfo>> info = kit.createTestProbe();
    consultation.tell(new CallCommand.GetCall(info.ref()));
    @SuppressWarnings("unchecked")
    CallInfo ended = ((StatusReply<CallInfo>) info.expectMessageClass(StatusReply.class)).getValue();
    assertEquals(CallState.Phase.ENDED, ended.phase());
    assertEquals(Optional.of(HangupCause.NORMAL), ended.cause());
    // Carol left the consultation call for call 1: she is busy on call 1 only.
    assertTrue(routing.activity.contains("carol free of " + consultationId), routing.activity.toString());
    assertTrue(routing.activity.contains("carol busy on " + id()), routing.activity.toString());
    // A report about carol that still reaches the consultation call is passed on to call 1 (seen
    // here by a probe standing in for call 1 in the peer table), which will answer it.
    TestProbe<CallCommand> callOneInbox = kit.createTestProbe();
    otherCalls.put(id(), callOneInbox.ref());
    CallCommand.LegDtmf late = new CallCommand.LegDtmf(offer.legId(), "5", kit.createTestProbe().ref().narrow());
    consultation.tell(late);
    callOneInbox.expectMessage(late);
    // Carol's reports now go to call 1: her hangup ends it.
    ack(r -> new CallCommand.LegHungUp(offer.legId(), HangupCause.NORMAL, r),
        new CallEvent.CallEnded(call.getState().record(HangupCause.NORMAL, T0)));
  }

  @Test
  void attendedTransferToACallThatIsNotConnectedFails() {
    connectAliceWithBobsDesk();
    String bob = id() + "/1";
    // The refusal may come back before the test kit stops collecting events: look at the first.
    CommandResultWithReply<CallCommand, CallEvent, CallState, StatusReply<Done>> r = call.runCommand(
        replyTo -> new CallCommand.LegAttendedTransferRequested(bob, "no-such-call-" + counter, "x", replyTo));
    assertEquals(new CallEvent.TransferStarted(1, TransferKind.ATTENDED, bob, "alice-leg", "no-such-call-" + counter,
        "x"), r.events().get(0));
    deskEdge.expectMessage(Duration.ofSeconds(10),
        new LegCommand.TransferOutcome(id(), bob, false, HangupCause.FAILED));
    assertTrue(call.getState().transfer().isEmpty());
    assertEquals(CallState.Phase.CONNECTED, call.getState().phase());
  }

  @Test
  void maximumDurationEndsAConnectedCall() {
    connectAliceWithBobsDesk();
    List<CallEvent> events = internal(new CallCommand.MaxDurationReached());
    assertEquals(HangupCause.MAX_DURATION, endedRecord(events).cause());
    assertEquals(CallRecord.Disposition.ANSWERED, endedRecord(events).disposition());
    callerEdge.expectMessage(new LegCommand.HangupLeg(id(), "alice-leg", HangupCause.MAX_DURATION));
    deskEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/1", HangupCause.MAX_DURATION));
  }

  @Test
  void aRetriedAnswerOrALateAlertFromTheConnectedDeviceChangesNothing() {
    connectAliceWithBobsDesk();
    ack(r -> new CallCommand.LegAnswered(id() + "/1", "v=0 desk answer", r));
    ack(r -> new CallCommand.LegAlerting(id() + "/1", Optional.empty(), r));
    deskEdge.expectNoMessage(Duration.ofMillis(200));
    callerEdge.expectNoMessage(Duration.ofMillis(50));
    assertEquals(CallState.Phase.CONNECTED, call.getState().phase());
  }

  @Test
  void aHandOverThatArrivesAfterTheCallEndedReleasesTheLegItBrings() {
    connectAliceWithBobsDesk();
    String bob = id() + "/1";
    // A consultation call that does not answer yet, so that alice's hangup comes first.
    otherCalls.put("slow-" + counter, kit.<CallCommand>createTestProbe().ref());
    ack(r -> new CallCommand.LegAttendedTransferRequested(bob, "slow-" + counter, "x", r),
        new CallEvent.TransferStarted(1, TransferKind.ATTENDED, bob, "alice-leg", "slow-" + counter, "x"));
    ack(r -> new CallCommand.LegHungUp("alice-leg", HangupCause.NORMAL, r),
        new CallEvent.CallEnded(call.getState().record(HangupCause.NORMAL, T0)));
    TestProbe<LegCommand> carolEdge = kit.createTestProbe("carol-edge");
    CallLeg carol = new CallLeg("slow-leg", CallLeg.Role.CALLEE, Party.of("300"), Optional.of("carol"),
        carolEdge.ref(), CallLeg.Status.ANSWERED, Optional.of("v=0 carol"));
    assertEquals(List.of(), internal(new CallCommand.HandOverDone(1, Optional.of(carol), "", 1, false)));
    carolEdge.expectMessage(new LegCommand.HangupLeg(id(), "slow-leg", HangupCause.NORMAL));
  }

  @Test
  void aFailedTransferLeavesTheTransfereesOwnHoldAlone() {
    connectAliceWithBobsDesk();
    String bob = id() + "/1";
    ack(r -> new CallCommand.LegHoldChanged("alice-leg", true, r), new CallEvent.HoldChanged("alice-leg", true));
    deskEdge.expectMessage(new LegCommand.HoldLeg(id(), bob));
    TestProbe<LegCommand> carolEdge = kit.createTestProbe("carol-edge");
    ack(r -> new CallCommand.LegTransferRequested(bob, "300", r),
        new CallEvent.TransferStarted(1, TransferKind.BLIND, bob, "alice-leg", "300", ""));
    // The phone's REFER, retried, is the same transfer: acknowledged, nothing new.
    ack(r -> new CallCommand.LegTransferRequested(bob, "300", r));
    internal(new CallCommand.RoutingDone(2, oneDevice("300", "carol", carolEdge)));
    ack(r -> new CallCommand.LegRejected(id() + "/3", HangupCause.BUSY, r),
        new CallEvent.LegFailed(id() + "/3", HangupCause.BUSY), new CallEvent.TransferFailed(1, HangupCause.BUSY));
    ack(r -> new CallCommand.LegHoldChanged("alice-leg", false, r), new CallEvent.HoldChanged("alice-leg", false));
    deskEdge.expectMessage(new LegCommand.TransferOutcome(id(), bob, false, HangupCause.BUSY));
    deskEdge.expectMessage(new LegCommand.ResumeLeg(id(), bob));
  }

  @Test
  void whenTheTransferorHoldsTheTransfereeAFailedTransferDoesNotResumeThem() {
    connectAliceWithBobsDesk();
    String bob = id() + "/1";
    ack(r -> new CallCommand.LegHoldChanged(bob, true, r), new CallEvent.HoldChanged(bob, true));
    callerEdge.expectMessage(new LegCommand.HoldLeg(id(), "alice-leg"));
    TestProbe<LegCommand> carolEdge = kit.createTestProbe("carol-edge");
    ack(r -> new CallCommand.LegTransferRequested(bob, "300", r),
        new CallEvent.TransferStarted(1, TransferKind.BLIND, bob, "alice-leg", "300", ""));
    callerEdge.expectMessage(new LegCommand.HoldLeg(id(), "alice-leg"));
    internal(new CallCommand.RoutingDone(2, oneDevice("300", "carol", carolEdge)));
    ack(r -> new CallCommand.LegRejected(id() + "/3", HangupCause.BUSY, r),
        new CallEvent.LegFailed(id() + "/3", HangupCause.BUSY), new CallEvent.TransferFailed(1, HangupCause.BUSY));
    callerEdge.expectNoMessage(Duration.ofMillis(200));
    assertEquals(Set.of(bob), call.getState().held());
  }

  @Test
  void whenTheEarlyMediaDeviceGivesUpTheCallerHearsRingingAndTheNextDevicesEarlyMedia() {
    originate("200");
    RoutingOutcome.Ring sequential = new RoutingOutcome.Ring("200", Optional.of("bob"), List.of(
        new RoutingOutcome.RingStep(List.of(target("bob", "200", deskEdge, "desk")), Duration.ofSeconds(10)),
        new RoutingOutcome.RingStep(List.of(target("bob", "200", mobileEdge, "mobile")), Duration.ofSeconds(10))),
        Optional.empty(), Optional.empty());
    internal(new CallCommand.RoutingDone(1, sequential));
    ack(r -> new CallCommand.LegAlerting(id() + "/1", Optional.of("v=0 desk early"), r),
        new CallEvent.LegAlerted(id() + "/1", Optional.of("v=0 desk early")));
    callerEdge.expectMessage(new LegCommand.AlertLeg(id(), "alice-leg", Optional.of("v=0 desk early")));
    clock.advance(Duration.ofSeconds(10));
    internal(new CallCommand.RingTimeout(1, 0));
    callerEdge.expectMessage(new LegCommand.AlertLeg(id(), "alice-leg", Optional.empty()));
    ack(r -> new CallCommand.LegAlerting(id() + "/2", Optional.of("v=0 mobile early"), r),
        new CallEvent.LegAlerted(id() + "/2", Optional.of("v=0 mobile early")));
    callerEdge.expectMessage(new LegCommand.AlertLeg(id(), "alice-leg", Optional.of("v=0 mobile early")));
  }

  @Test
  void anAdministratorsHangupOfARingingCallIsACancelAndTheCallerHearsUnavailable() {
    originate("200");
    internal(new CallCommand.RoutingDone(1, oneDevice("200", "bob", deskEdge)));
    deskEdge.expectMessageClass(LegCommand.OfferLeg.class);
    StatusReply<Done> reply = call.<StatusReply<Done>>runCommand(r -> new CallCommand.Hangup(HangupCause.NORMAL, r))
        .reply();
    assertTrue(reply.isSuccess());
    callerEdge.expectMessage(new LegCommand.HangupLeg(id(), "alice-leg", HangupCause.UNAVAILABLE));
    deskEdge.expectMessage(new LegCommand.HangupLeg(id(), id() + "/1", HangupCause.CANCELLED));
    assertEquals(CallRecord.Disposition.CANCELLED, call.getState().ended().orElseThrow().disposition());
  }

  @Test
  void transfersCountTowardsTheForwardingLimit() {
    call = newCall("limited-" + counter, new CallSettings(Duration.ofSeconds(30), Duration.ofHours(4), 1));
    connectAliceWithBobsDesk();
    String bob = id() + "/1";
    ack(r -> new CallCommand.LegTransferRequested(bob, "300", r),
        new CallEvent.TransferStarted(1, TransferKind.BLIND, bob, "alice-leg", "300", ""));
    assertEquals(List.of(new CallEvent.TransferFailed(1, HangupCause.LOOP_DETECTED)),
        internal(new CallCommand.RoutingDone(2, new RoutingOutcome.Forward("carol", "301",
            RingPlan.ForwardReason.ALWAYS))));
    deskEdge.expectMessage(new LegCommand.TransferOutcome(id(), bob, false, HangupCause.LOOP_DETECTED));
  }

  @Test
  void anOriginateWithoutADestinationIsRefusedAndStartsNothing() {
    CommandResultWithReply<CallCommand, CallEvent, CallState, StatusReply<CallInfo>> r = call.runCommand(
        replyTo -> new CallCommand.Originate("acme", "alice-leg", Party.of("100"), Optional.empty(),
            callerEdge.ref(), " ", Direction.INTERNAL, Optional.empty(), replyTo));
    assertEquals(List.of(), r.events());
    assertEquals("dialled: must not be empty", r.reply().getError().getMessage());
    assertEquals(CallState.Phase.NEW, call.getState().phase());
  }

  @Test
  void unknownLegsAndUnknownCallsAreRefused() {
    assertFalse(report(r -> new CallCommand.LegAnswered("x", "v=0", r), List.of()).isSuccess());
    originate("200");
    assertFalse(report(r -> new CallCommand.LegAnswered("nobody", "v=0", r), List.of()).isSuccess());
  }

  @Test
  void aRingingCallRecoversItsLegsAndDeadline() {
    originate("200");
    internal(new CallCommand.RoutingDone(1, bobsTwoDevices(Optional.empty(), Optional.empty())));
    ack(r -> new CallCommand.LegAlerting(id() + "/1", Optional.empty(), r),
        new CallEvent.LegAlerted(id() + "/1", Optional.empty()));
    CallState before = call.getState();
    assertEquals(before, call.restart().state());
    ack(r -> new CallCommand.LegAnswered(id() + "/1", "v=0", r),
        new CallEvent.CallAnswered(id() + "/1", "v=0", T0, List.of(id() + "/2")));
  }
}
