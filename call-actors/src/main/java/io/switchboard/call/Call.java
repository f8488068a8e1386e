package io.switchboard.call;

import io.switchboard.call.CallCommand.CallInfo;
import io.switchboard.call.CallCommand.GetCall;
import io.switchboard.call.CallCommand.HandOverDone;
import io.switchboard.call.CallCommand.HandOverPartner;
import io.switchboard.call.CallCommand.Hangup;
import io.switchboard.call.CallCommand.LegAlerting;
import io.switchboard.call.CallCommand.LegAnswered;
import io.switchboard.call.CallCommand.LegAttendedTransferRequested;
import io.switchboard.call.CallCommand.LegDtmf;
import io.switchboard.call.CallCommand.LegHoldChanged;
import io.switchboard.call.CallCommand.LegHungUp;
import io.switchboard.call.CallCommand.LegRejected;
import io.switchboard.call.CallCommand.LegReport;
import io.switchboard.call.CallCommand.LegTransferRequested;
import io.switchboard.call.CallCommand.MaxDurationReached;
import io.switchboard.call.CallCommand.Originate;
import io.switchboard.call.CallCommand.RingTimeout;
import io.switchboard.call.CallCommand.RoutingDone;
import io.switchboard.call.CallEvent.Purpose;
import io.switchboard.call.CallEvent.TransferKind;
import io.switchboard.call.CallState.Attempt;
import io.switchboard.call.CallState.Phase;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.routing.RingPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One call, from the caller's dial to its single {@link CallEvent.CallEnded}: a sharded,
 * event-sourced state machine (role {@code core}) that routes the dialled address, forks to the
 * callee's devices, lets the first answer win, and handles hold, DTMF, blind and attended transfer.
 *
 * <p>It never blocks and never sees a wire object: edges drive it with {@link LegReport}s, it
 * drives them with {@link LegCommand}s, and lookups come back as messages through {@code
 * pipeToSelf}. Every decision is persisted before its side effects, and after a failover the
 * recovered state re-arms the timers and redoes an unfinished lookup, so a call survives the loss
 * of the node it ran on.
 *
 * <p>Races are resolved by the mailbox: whichever of "caller cancelled" and "callee answered"
 * arrives first decides, and the loser is told to hang up (a leg that answered too late gets a
 * {@link LegCommand.HangupLeg} with {@link HangupCause#CANCELLED}, which an edge turns into BYE).
 */
public final class Call extends EventSourcedBehaviorWithEnforcedReplies<CallCommand, CallEvent, CallState> {

  public static final EntityTypeKey<CallCommand> ENTITY_KEY = EntityTypeKey.create(CallCommand.class, "Call");
  /** Events are tagged into this many slices for the projections (CDR) to read in parallel. */
  public static final int TAG_SLICES = 4;
  private static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(5);
  private static final int HAND_OVER_ATTEMPTS = 2;

  /** How a call reaches another call (for attended transfer). */
  public interface Peers {
    RecipientRef<CallCommand> call(String callId);
  }

  public static String tag(int slice) {
    return "call-" + slice;
  }

  public static List<String> allTags() {
    return java.util.stream.IntStream.range(0, TAG_SLICES).mapToObj(Call::tag).toList();
  }

  /**
   * Registers the entity. Calls are remembered entities: when the node hosting a ringing or
   * connected call dies, sharding restarts it on another node at once (not only when the next
   * message arrives), so its no-answer and maximum-duration timers keep running. That costs two
   * small journal writes per call (the shard records start and stop), and means a call must
   * passivate itself once it has ended.
   */
  public static void init(ActorSystem<?> system, CallSettings settings, CallRouting routing) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Peers peers = callId -> sharding.entityRefFor(ENTITY_KEY, callId);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, routing, peers,
            Clock.systemUTC(), Optional.of(ctx.getShard())))
        .withRole("core")
        .withSettings(ClusterShardingSettings.create(system).withRole("core").withRememberEntities(true)));
  }

  public static EntityRef<CallCommand> ref(ActorSystem<?> system, String callId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, callId);
  }

  /** A call outside sharding (tests, benchmarks): it never passivates itself. */
  public static Behavior<CallCommand> create(String callId, CallSettings settings, CallRouting routing, Peers peers,
                                             Clock clock) {
    return create(callId, settings, routing, peers, clock, Optional.empty());
  }

  public static Behavior<CallCommand> create(String callId, CallSettings settings, CallRouting routing, Peers peers,
                                             Clock clock, Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    // Every log line of the call carries its id (MDC "callId").
    return Behaviors.withMdc(CallCommand.class, java.util.Map.of("callId", callId),
        Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new Call(callId, settings, routing, peers, clock, ctx, timers, shard))));
  }

  private final String callId;
  private final CallSettings settings;
  private final CallRouting routing;
  private final Peers peers;
  private final Clock clock;
  private final ActorContext<CallCommand> context;
  private final TimerScheduler<CallCommand> timers;
  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;

  private Call(String callId, CallSettings settings, CallRouting routing, Peers peers, Clock clock,
               ActorContext<CallCommand> context, TimerScheduler<CallCommand> timers,
               Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    super(PersistenceId.of(ENTITY_KEY.name(), callId));
    this.callId = callId;
    this.settings = settings;
    this.routing = routing;
    this.peers = peers;
    this.clock = clock;
    this.context = context;
    this.timers = timers;
    this.shard = shard;
  }

  /** An ended call leaves memory (and the shard's remembered entities); a late message restarts it. */
  private void passivate() {
    shard.ifPresent(s -> s.tell(new ClusterSharding.Passivate<>(context.getSelf())));
  }

  @Override
  public CallState emptyState() {
    return CallState.empty(callId);
  }

  @Override
  public Set<String> tagsFor(CallEvent event) {
    return Set.of(tag(Math.floorMod(callId.hashCode(), TAG_SLICES)));
  }

  // --- decisions: events to persist, then side effects on the new state ---

  /** Events decided by one command, applied as they are added, and the effects to run once persisted. */
  private static final class Decision {
    CallState state;
    final List<CallEvent> events = new ArrayList<>();
    final List<Consumer<CallState>> effects = new ArrayList<>();

    Decision(CallState state) {
      this.state = state;
    }

    Decision persist(CallEvent event) {
      events.add(event);
      state = state.apply(event);
      return this;
    }

    Decision then(Consumer<CallState> effect) {
      effects.add(effect);
      return this;
    }

    Decision tell(ActorRef<LegCommand> edge, LegCommand command) {
      return then(s -> edge.tell(command));
    }
  }

  private <R> ReplyEffect<CallEvent, CallState> run(Decision d, ActorRef<R> replyTo, Function<CallState, R> reply) {
    if (d.events.isEmpty()) {
      d.effects.forEach(e -> e.accept(d.state));
      return Effect().reply(replyTo, reply.apply(d.state));
    }
    return Effect().persist(d.events)
        .thenRun(s -> {
          measure(d);
          d.effects.forEach(e -> e.accept(s));
        })
        .thenReply(replyTo, reply::apply);
  }

  private ReplyEffect<CallEvent, CallState> runInternal(Decision d) {
    if (d.events.isEmpty()) {
      d.effects.forEach(e -> e.accept(d.state));
      return Effect().noReply();
    }
    return Effect().persist(d.events).thenRun(s -> {
      measure(d);
      d.effects.forEach(e -> e.accept(s));
    }).thenNoReply();
  }

  private void measure(Decision d) {
    CallMetrics.persisted(d.events.size());
    for (CallEvent e : d.events) {
      if (e instanceof CallEvent.CallStarted) {
        CallMetrics.started();
      } else if (e instanceof CallEvent.CallAnswered answered) {
        CallMetrics.answered(Duration.between(d.state.startedAt(), answered.answeredAt()));
      } else if (e instanceof CallEvent.CallEnded ended) {
        CallMetrics.ended(ended.record());
      }
    }
  }

  private ReplyEffect<CallEvent, CallState> ack(Decision d, LegReport report) {
    return run(d, report.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<CallEvent, CallState> refuse(LegReport report, String why) {
    return Effect().reply(report.replyTo(), StatusReply.error(why));
  }

  // --- command handlers, per phase ---

  @Override
  public CommandHandlerWithReply<CallCommand, CallEvent, CallState> commandHandler() {
    CommandHandlerWithReplyBuilder<CallCommand, CallEvent, CallState> b = newCommandHandlerWithReplyBuilder();
    b.forState(s -> s.phase() == Phase.NEW)
        .onCommand(Originate.class, this::onOriginate)
        .onCommand(LegReport.class, (s, c) -> noSuchCall(c.replyTo()))
        .onCommand(Hangup.class, (s, c) -> noSuchCall(c.replyTo()))
        .onCommand(GetCall.class, (s, c) -> noSuchCall(c.replyTo()))
        .onCommand(HandOverPartner.class, (s, c) -> noSuchCall(c.replyTo()))
        .onAnyCommand(c -> Effect().noReply());
    b.forState(s -> s.phase() == Phase.ENDED)
        .onCommand(Originate.class, this::onOriginateAgain)
        .onCommand(LegReport.class, this::onReportWhenEnded)
        .onCommand(Hangup.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.ack()))
        .onCommand(GetCall.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(info(s))))
        .onCommand(HandOverPartner.class, this::onHandOverWhenEnded)
        .onCommand(HandOverDone.class, (s, c) -> releaseUnwanted(c))
        .onAnyCommand(c -> Effect().noReply());
    live(b.forState(s -> s.phase() == Phase.ROUTING || s.phase() == Phase.RINGING)
        .onCommand(LegHungUp.class, this::onHungUpBeforeAnswer)
        .onCommand(HandOverPartner.class, (s, c) -> Effect().reply(c.replyTo(),
            StatusReply.error("the consultation call " + callId + " is not connected"))))
        .onCommand(LegReport.class, (s, c) -> refuse(c, "the call is not connected yet"))
        .onAnyCommand(c -> Effect().noReply());
    live(b.forState(s -> s.phase() == Phase.CONNECTED)
        .onCommand(LegHungUp.class, this::onHungUpWhileConnected)
        .onCommand(LegHoldChanged.class, this::onHoldChanged)
        .onCommand(LegDtmf.class, this::onDtmf)
        .onCommand(CallCommand.LegMediaChanged.class, this::onMediaChanged)
        .onCommand(LegTransferRequested.class, this::onBlindTransfer)
        .onCommand(LegAttendedTransferRequested.class, this::onAttendedTransfer)
        .onCommand(HandOverDone.class, this::onHandOverDone)
        .onCommand(HandOverPartner.class, this::onHandOverPartner))
        .onAnyCommand(c -> Effect().noReply());
    return b.build();
  }

  /**
   * What every phase of a live call handles alike (ringing devices exist while connected, too: a
   * blind transfer rings its target). Registered after the phase's own handlers, which win.
   */
  private org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState<
      CallCommand, CallEvent, CallState, CallState> live(org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState<
      CallCommand, CallEvent, CallState, CallState> phase) {
    return phase.onCommand(Originate.class, this::onOriginateAgain)
        .onCommand(RoutingDone.class, this::onRoutingDone)
        .onCommand(RingTimeout.class, this::onRingTimeout)
        .onCommand(LegAlerting.class, this::onAlerting)
        .onCommand(LegAnswered.class, this::onAnswered)
        .onCommand(LegRejected.class, (s, c) -> onCalleeFailed(s, c, c.cause()))
        .onCommand(Hangup.class, (s, c) -> run(end(new Decision(s), c.cause(), Optional.empty()), c.replyTo(),
            st -> StatusReply.ack()))
        .onCommand(MaxDurationReached.class, (s, c) -> runInternal(end(new Decision(s), HangupCause.MAX_DURATION,
            Optional.empty())))
        .onCommand(GetCall.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(info(s))));
  }

  /** Asked about a call that never started: say so, and do not stay in memory for it. */
  private <T> ReplyEffect<CallEvent, CallState> noSuchCall(ActorRef<StatusReply<T>> replyTo) {
    return Effect().none().thenRun(s -> passivate())
        .thenReply(replyTo, s -> StatusReply.error("no such call: " + callId));
  }

  // --- start ---

  private ReplyEffect<CallEvent, CallState> onOriginate(CallState s, Originate c) {
    Optional<String> problem = c.tenantId().isBlank() ? Optional.of("tenantId: must not be empty")
        : c.callerLegId().isBlank() ? Optional.of("callerLegId: must not be empty")
        : c.dialled().isBlank() ? Optional.of("dialled: must not be empty")
        : Optional.empty();
    if (problem.isPresent()) {
      return Effect().none().thenRun(st -> passivate()).thenReply(c.replyTo(), st -> StatusReply.error(problem.get()));
    }
    Instant now = clock.instant();
    Decision d = new Decision(s).persist(new CallEvent.CallStarted(callId, c.tenantId(), c.direction(), c.caller(),
        c.callerUserId(), c.callerLegId(), c.callerEdge(), c.dialled(), c.offer(), now,
        now.plus(settings.maxCallDuration())));
    d.then(st -> {
      armMaxDuration(st);
      route(st, st.attempt().orElseThrow());
    });
    return run(d, c.replyTo(), st -> StatusReply.success(info(st)));
  }

  /** A retried Originate (same caller leg) is answered with the call as it is; another is refused. */
  private ReplyEffect<CallEvent, CallState> onOriginateAgain(CallState s, Originate c) {
    return Effect().reply(c.replyTo(), c.callerLegId().equals(s.callerLegId())
        ? StatusReply.success(info(s))
        : StatusReply.error("call id " + callId + " is already in use"));
  }

  private void route(CallState s, Attempt attempt) {
    context.pipeToSelf(routing.route(s.tenantId(), callId, attempt.target(), clock.instant()),
        (outcome, error) -> new RoutingDone(attempt.attemptId(), error == null ? outcome
            : new RoutingOutcome.Fail(HangupCause.FAILED, "routing failed: " + error.getMessage())));
  }

  private void armMaxDuration(CallState s) {
    Duration left = Duration.between(clock.instant(), s.maxDurationAt());
    timers.startSingleTimer("max-duration", new MaxDurationReached(), left.isNegative() ? Duration.ZERO : left);
  }

  private void armRingTimer(CallState s) {
    s.attempt().flatMap(a -> a.deadline().map(deadline -> {
      Duration left = Duration.between(clock.instant(), deadline);
      timers.startSingleTimer("ring", new RingTimeout(a.attemptId(), a.step()),
          left.isNegative() ? Duration.ZERO : left);
      return a;
    }));
  }

  // --- routing and ringing ---

  private ReplyEffect<CallEvent, CallState> onRoutingDone(CallState s, RoutingDone c) {
    Optional<Attempt> current = s.attempt().filter(a -> a.attemptId() == c.attemptId() && a.isRouting());
    if (current.isEmpty()) {
      return Effect().noReply(); // a stale lookup: the attempt moved on (forwarded, cancelled, failed over)
    }
    Attempt attempt = current.get();
    Decision d = new Decision(s);
    if (c.outcome() instanceof RoutingOutcome.Ring ring && !ring.steps().isEmpty()) {
      d.persist(new CallEvent.RouteSelected(attempt.attemptId(), attempt.purpose(), ring));
      offerStep(d, 0);
    } else if (c.outcome() instanceof RoutingOutcome.Forward forward) {
      forward(d, forward.fromUserId(), forward.to(), forward.reason());
    } else if (c.outcome() instanceof RoutingOutcome.Fail fail) {
      context.getLog().info("Call {}: {} cannot be reached: {}", callId, attempt.target(), fail.reason());
      attemptFailed(d, fail.cause());
    } else {
      attemptFailed(d, HangupCause.UNAVAILABLE); // a ring with no device
    }
    return runInternal(d);
  }

  private void offerStep(Decision d, int stepIndex) {
    Attempt attempt = d.state.attempt().orElseThrow();
    RoutingOutcome.RingStep step = attempt.route().orElseThrow().steps().get(stepIndex);
    List<String> legIds = new ArrayList<>();
    for (int i = 0; i < step.targets().size(); i++) {
      legIds.add(callId + "/" + (d.state.nextLegNumber() + i));
    }
    d.persist(new CallEvent.RingStepStarted(attempt.attemptId(), stepIndex, legIds,
        clock.instant().plus(step.timeout())));
    CallState s = d.state;
    CallLeg offerer = attempt.purpose() == Purpose.CALL ? s.callerLeg()
        : s.leg(s.transfer().orElseThrow().transfereeLegId()).orElseThrow();
    for (int i = 0; i < legIds.size(); i++) {
      RoutingOutcome.RingTarget target = step.targets().get(i);
      d.tell(target.contact().edge(), new LegCommand.OfferLeg(callId, legIds.get(i), s.tenantId(),
          target.contact().uri(), offerer.party(), target.party(), offerer.description()));
    }
    d.then(this::armRingTimer);
  }

  private void forward(Decision d, String from, String to, RingPlan.ForwardReason reason) {
    Attempt attempt = d.state.attempt().orElseThrow();
    // Forwards and transfers share one budget: earlier transfers count, a transfer's target too.
    int hops = attempt.chain().size() - 1 + d.state.transferChain().size()
        + (attempt.purpose() == Purpose.TRANSFER ? 1 : 0);
    if (attempt.chain().contains(to) || hops + 1 > settings.maxForwards()) {
      context.getLog().info("Call {}: forwarding loop {} -> {}", callId, attempt.chain(), to);
      attemptFailed(d, HangupCause.LOOP_DETECTED);
      return;
    }
    d.persist(new CallEvent.CallForwarded(attempt.attemptId(), d.state.nextAttemptId(), from, to, reason));
    d.then(s -> route(s, s.attempt().orElseThrow()));
  }

  /** The attempt's current step is over: every device failed ({@code cause}) or it rang out. */
  private void stepOver(Decision d, HangupCause cause) {
    Attempt attempt = d.state.attempt().orElseThrow();
    RoutingOutcome.Ring route = attempt.route().orElseThrow();
    if (attempt.step() + 1 < route.steps().size()) {
      offerStep(d, attempt.step() + 1);
    } else if (cause == HangupCause.BUSY && route.forwardOnBusy().isPresent()) {
      forward(d, route.target(), route.forwardOnBusy().get(), RingPlan.ForwardReason.BUSY);
    } else if (cause == HangupCause.NO_ANSWER && route.forwardOnNoAnswer().isPresent()) {
      forward(d, route.target(), route.forwardOnNoAnswer().get(), RingPlan.ForwardReason.NO_ANSWER);
    } else {
      attemptFailed(d, cause);
    }
  }

  private void attemptFailed(Decision d, HangupCause cause) {
    if (d.state.attempt().map(Attempt::purpose).orElse(Purpose.CALL) == Purpose.CALL) {
      end(d, cause, Optional.empty());
    } else {
      failTransfer(d, cause);
    }
  }

  private ReplyEffect<CallEvent, CallState> onRingTimeout(CallState s, RingTimeout c) {
    boolean current = s.attempt().filter(a -> a.attemptId() == c.attemptId() && a.step() == c.step()).isPresent();
    if (!current) {
      return Effect().noReply();
    }
    Decision d = new Decision(s);
    for (CallLeg leg : s.ringingLegs()) {
      d.persist(new CallEvent.LegFailed(leg.legId(), HangupCause.NO_ANSWER))
          .tell(leg.edge(), new LegCommand.HangupLeg(callId, leg.legId(), HangupCause.NO_ANSWER));
    }
    stepOver(d, HangupCause.NO_ANSWER);
    realertIfEarlyMediaLost(d, s);
    return runInternal(d);
  }

  /**
   * The leg whose early media the caller heard has failed while the call rings on: tell the caller
   * it is ringing (180), so its own ringback replaces the dead stream and the next early media is
   * relayed.
   */
  private void realertIfEarlyMediaLost(Decision d, CallState before) {
    boolean lost = before.earlyMediaLegId().isPresent() && d.state.earlyMediaLegId().isEmpty();
    if (lost && (d.state.phase() == Phase.RINGING || d.state.phase() == Phase.ROUTING)) {
      d.tell(before.callerLeg().edge(), new LegCommand.AlertLeg(callId, before.callerLegId(), Optional.empty()));
    }
  }

  private ReplyEffect<CallEvent, CallState> onAlerting(CallState s, LegAlerting c) {
    Optional<CallLeg> leg = s.leg(c.legId());
    if (leg.isEmpty()) {
      return refuse(c, "no leg " + c.legId() + " in call " + callId);
    }
    if (!s.isRingingLeg(c.legId())) {
      return ack(hangUpLateLeg(new Decision(s), c.legId()), c); // answered ones are only acknowledged
    }
    boolean news = leg.get().status() == CallLeg.Status.OFFERED
        || (c.earlyMedia().isPresent() && s.earlyMediaLegId().isEmpty());
    Decision d = new Decision(s);
    if (!news) {
      return ack(d, c);
    }
    boolean callerHeardNothing = !s.callerAlerted();
    d.persist(new CallEvent.LegAlerted(c.legId(), c.earlyMedia()));
    if (d.state.attempt().orElseThrow().purpose() == Purpose.CALL) {
      if (c.earlyMedia().isPresent() && d.state.earlyMediaLegId().equals(Optional.of(c.legId()))) {
        d.tell(s.callerLeg().edge(), new LegCommand.AlertLeg(callId, s.callerLegId(), c.earlyMedia()));
      } else if (callerHeardNothing) {
        d.tell(s.callerLeg().edge(), new LegCommand.AlertLeg(callId, s.callerLegId(), Optional.empty()));
      }
    }
    return ack(d, c);
  }

  private ReplyEffect<CallEvent, CallState> onAnswered(CallState s, LegAnswered c) {
    Optional<CallLeg> leg = s.leg(c.legId());
    if (leg.isEmpty()) {
      return refuse(c, "no leg " + c.legId() + " in call " + callId);
    }
    if (!s.isRingingLeg(c.legId())) {
      // Answered too late (another device won, or the caller left): release it.
      return ack(hangUpLateLeg(new Decision(s), c.legId()), c);
    }
    Attempt attempt = s.attempt().orElseThrow();
    Decision d = new Decision(s);
    List<CallLeg> others = s.ringingLegs().stream().filter(l -> !l.legId().equals(c.legId())).toList();
    timers.cancel("ring");
    if (attempt.purpose() == Purpose.CALL) {
      d.persist(new CallEvent.CallAnswered(c.legId(), c.answer(), clock.instant(),
          others.stream().map(CallLeg::legId).toList()));
      d.tell(s.callerLeg().edge(), new LegCommand.AnswerLeg(callId, s.callerLegId(), c.answer()));
      others.forEach(o -> d.tell(o.edge(), new LegCommand.HangupLeg(callId, o.legId(), HangupCause.CANCELLED)));
      d.then(st -> st.connected().forEach(id -> activity(st, id, true)));
    } else {
      others.forEach(o -> d.persist(new CallEvent.LegFailed(o.legId(), HangupCause.CANCELLED))
          .tell(o.edge(), new LegCommand.HangupLeg(callId, o.legId(), HangupCause.CANCELLED)));
      completeTransfer(d, leg.get().withStatus(CallLeg.Status.ANSWERED).withDescription(c.answer()));
    }
    return ack(d, c);
  }

  /** A callee leg failed before answering; when it was the step's last, the step is over. */
  private ReplyEffect<CallEvent, CallState> onCalleeFailed(CallState s, LegReport c, HangupCause cause) {
    if (s.leg(c.legId()).isEmpty()) {
      return refuse(c, "no leg " + c.legId() + " in call " + callId);
    }
    if (!s.isRingingLeg(c.legId())) {
      return ack(new Decision(s), c);
    }
    Decision d = new Decision(s).persist(new CallEvent.LegFailed(c.legId(), cause));
    if (d.state.ringingLegs().isEmpty()) {
      Attempt attempt = d.state.attempt().orElseThrow();
      List<HangupCause> causes = attempt.stepLegIds().stream().map(id -> d.state.failures().get(id)).toList();
      timers.cancel("ring");
      stepOver(d, strongest(causes));
    }
    realertIfEarlyMediaLost(d, s);
    return ack(d, c);
  }

  /** What to tell the caller when every device of a step failed: busy beats declined beats the rest. */
  private static HangupCause strongest(List<HangupCause> causes) {
    for (HangupCause preferred : List.of(HangupCause.BUSY, HangupCause.REJECTED, HangupCause.NO_ANSWER,
        HangupCause.UNAVAILABLE, HangupCause.NOT_FOUND)) {
      if (causes.contains(preferred)) {
        return preferred;
      }
    }
    return causes.isEmpty() ? HangupCause.FAILED : causes.get(0);
  }

  private ReplyEffect<CallEvent, CallState> onHungUpBeforeAnswer(CallState s, LegHungUp c) {
    if (c.legId().equals(s.callerLegId())) {
      return ack(end(new Decision(s), HangupCause.CANCELLED, Optional.of(c.legId())), c);
    }
    return onCalleeFailed(s, c, c.cause() == HangupCause.NORMAL ? HangupCause.REJECTED : c.cause());
  }

  // --- connected ---

  private ReplyEffect<CallEvent, CallState> onHungUpWhileConnected(CallState s, LegHungUp c) {
    if (s.leg(c.legId()).isEmpty()) {
      return refuse(c, "no leg " + c.legId() + " in call " + callId);
    }
    if (s.isRingingLeg(c.legId())) {
      return onCalleeFailed(s, c, c.cause() == HangupCause.NORMAL ? HangupCause.REJECTED : c.cause());
    }
    if (!s.connected().contains(c.legId()) || !s.leg(c.legId()).get().isLive()) {
      return ack(new Decision(s), c);
    }
    Optional<CallState.Transfer> transfer = s.transfer();
    if (transfer.isPresent() && transfer.get().transferorLegId().equals(c.legId())) {
      // The transferor hung up after asking: the transfer goes on without them (RFC 5589 §6).
      Decision d = new Decision(s).persist(new CallEvent.LegLeft(c.legId(), HangupCause.NORMAL));
      d.then(st -> activity(st, c.legId(), false));
      return ack(d, c);
    }
    return ack(end(new Decision(s), HangupCause.NORMAL, Optional.of(c.legId())), c);
  }

  private ReplyEffect<CallEvent, CallState> onHoldChanged(CallState s, LegHoldChanged c) {
    Optional<CallLeg> other = s.otherParty(c.legId());
    if (other.isEmpty() || !s.leg(c.legId()).get().isLive()) {
      return refuse(c, "leg " + c.legId() + " is not connected in call " + callId);
    }
    Decision d = new Decision(s);
    if (s.held().contains(c.legId()) != c.held()) {
      d.persist(new CallEvent.HoldChanged(c.legId(), c.held()));
      d.tell(other.get().edge(), c.held() ? new LegCommand.HoldLeg(callId, other.get().legId())
          : new LegCommand.ResumeLeg(callId, other.get().legId()));
    }
    return ack(d, c);
  }

  private ReplyEffect<CallEvent, CallState> onDtmf(CallState s, LegDtmf c) {
    Optional<CallLeg> other = s.otherParty(c.legId()).filter(CallLeg::isLive);
    Decision d = new Decision(s);
    other.ifPresent(o -> d.tell(o.edge(), new LegCommand.SendDtmf(callId, o.legId(), c.digits())));
    return ack(d, c);
  }

  /** A late answer (or any new description) from one party goes to the other; nothing to persist. */
  private ReplyEffect<CallEvent, CallState> onMediaChanged(CallState s, CallCommand.LegMediaChanged c) {
    Optional<CallLeg> other = s.otherParty(c.legId()).filter(CallLeg::isLive);
    Decision d = new Decision(s);
    other.ifPresent(o -> d.tell(o.edge(), new LegCommand.UpdateLegMedia(callId, o.legId(), c.description())));
    return ack(d, c);
  }

  /** The transfer in progress, if {@code legId} asked for exactly this one (a retried REFER). */
  private static boolean isSameTransfer(CallState s, String legId, TransferKind kind, String target) {
    return s.transfer().filter(t -> t.kind() == kind && t.transferorLegId().equals(legId)
        && t.target().equals(target)).isPresent();
  }

  private ReplyEffect<CallEvent, CallState> onBlindTransfer(CallState s, LegTransferRequested c) {
    if (isSameTransfer(s, c.legId(), TransferKind.BLIND, c.target())) {
      return ack(new Decision(s), c);
    }
    Optional<String> refusal = transferRefusal(s, c.legId());
    if (refusal.isPresent()) {
      return refuse(c, refusal.get());
    }
    CallLeg transferee = s.otherParty(c.legId()).orElseThrow();
    Decision d = new Decision(s).persist(new CallEvent.TransferStarted(s.nextTransferId(), TransferKind.BLIND,
        c.legId(), transferee.legId(), c.target(), ""));
    d.tell(transferee.edge(), new LegCommand.HoldLeg(callId, transferee.legId()));
    d.then(st -> route(st, st.attempt().orElseThrow()));
    return ack(d, c);
  }

  private ReplyEffect<CallEvent, CallState> onAttendedTransfer(CallState s, LegAttendedTransferRequested c) {
    if (isSameTransfer(s, c.legId(), TransferKind.ATTENDED, c.consultationCallId())) {
      return ack(new Decision(s), c);
    }
    Optional<String> refusal = transferRefusal(s, c.legId())
        .or(() -> c.consultationCallId().equals(callId) ? Optional.of("a call cannot replace itself")
            : Optional.empty());
    if (refusal.isPresent()) {
      return refuse(c, refusal.get());
    }
    CallLeg transferee = s.otherParty(c.legId()).orElseThrow();
    int transferId = s.nextTransferId();
    Decision d = new Decision(s).persist(new CallEvent.TransferStarted(transferId, TransferKind.ATTENDED,
        c.legId(), transferee.legId(), c.consultationCallId(), c.consultationLegId()));
    d.then(st -> askHandOver(transferId, c.consultationCallId(), c.consultationLegId(), 1));
    return ack(d, c);
  }

  private Optional<String> transferRefusal(CallState s, String legId) {
    if (s.otherParty(legId).isEmpty() || !s.leg(legId).get().isLive()) {
      return Optional.of("leg " + legId + " is not connected in call " + callId);
    }
    if (s.transfer().isPresent()) {
      return Optional.of("a transfer is already in progress in call " + callId);
    }
    if (s.transferChain().size() + 1 > settings.maxForwards()) {
      return Optional.of("call " + callId + " has been transferred " + s.transferChain().size()
          + " times, the most switchboard.calls.max-forwards allows");
    }
    return Optional.empty();
  }

  private void askHandOver(int transferId, String consultationCallId, String consultationLegId, int attempt) {
    context.pipeToSelf(AskPattern.<CallCommand, StatusReply<CallLeg>>ask(peers.call(consultationCallId),
            replyTo -> new HandOverPartner(callId, consultationLegId, replyTo), HAND_OVER_TIMEOUT,
            context.getSystem().scheduler()),
        (reply, error) -> {
          if (error != null) {
            return new HandOverDone(transferId, Optional.empty(), error.toString(), attempt,
                error instanceof java.util.concurrent.TimeoutException);
          }
          return reply.isSuccess() ? new HandOverDone(transferId, Optional.of(reply.getValue()), "", attempt, false)
              : new HandOverDone(transferId, Optional.empty(), reply.getError().getMessage(), attempt, false);
        });
  }

  private ReplyEffect<CallEvent, CallState> onHandOverDone(CallState s, HandOverDone c) {
    Optional<CallState.Transfer> transfer = s.transfer().filter(t -> t.transferId() == c.transferId());
    if (transfer.isEmpty()) {
      return releaseUnwanted(c);
    }
    if (c.leg().isEmpty() && c.timedOut() && c.attempt() < HAND_OVER_ATTEMPTS) {
      // The consultation call may have handed over and its answer been lost: it answers a repeat.
      askHandOver(c.transferId(), transfer.get().target(), transfer.get().consultationLegId(), c.attempt() + 1);
      return Effect().noReply();
    }
    Decision d = new Decision(s);
    if (c.leg().isPresent()) {
      CallLeg adopted = c.leg().get().withStatus(CallLeg.Status.ANSWERED);
      completeTransfer(d, adopted);
    } else {
      context.getLog().info("Call {}: attended transfer {} failed: {}", callId, c.transferId(), c.failure());
      failTransfer(d, HangupCause.FAILED);
    }
    return runInternal(d);
  }

  private void completeTransfer(Decision d, CallLeg newPartner) {
    CallState.Transfer t = d.state.transfer().orElseThrow();
    CallLeg transferor = d.state.leg(t.transferorLegId()).orElseThrow();
    CallLeg transferee = d.state.leg(t.transfereeLegId()).orElseThrow();
    d.persist(new CallEvent.TransferCompleted(t.transferId(), newPartner, clock.instant()));
    if (transferor.isLive()) {
      d.tell(transferor.edge(), new LegCommand.TransferOutcome(callId, transferor.legId(), true, HangupCause.NORMAL))
          .tell(transferor.edge(), new LegCommand.HangupLeg(callId, transferor.legId(), HangupCause.NORMAL))
          .then(st -> activity(st, transferor.legId(), false));
    }
    newPartner.description().ifPresent(desc ->
        d.tell(transferee.edge(), new LegCommand.UpdateLegMedia(callId, transferee.legId(), desc)));
    if (t.kind() == TransferKind.ATTENDED) {
      transferee.description().ifPresent(desc ->
          d.tell(newPartner.edge(), new LegCommand.UpdateLegMedia(callId, newPartner.legId(), desc)));
    }
    d.tell(transferee.edge(), new LegCommand.ResumeLeg(callId, transferee.legId()));
    d.then(st -> activity(st, newPartner.legId(), true));
  }

  private void failTransfer(Decision d, HangupCause cause) {
    CallState.Transfer t = d.state.transfer().orElseThrow();
    CallLeg transferor = d.state.leg(t.transferorLegId()).orElseThrow();
    CallLeg transferee = d.state.leg(t.transfereeLegId()).orElseThrow();
    d.persist(new CallEvent.TransferFailed(t.transferId(), cause));
    if (transferor.isLive()) {
      // Back to where they were: the transferor may resume the held party (RFC 5589 §7.4).
      d.tell(transferor.edge(), new LegCommand.TransferOutcome(callId, transferor.legId(), false, cause));
      if (t.kind() == TransferKind.BLIND && !d.state.held().contains(transferor.legId())) {
        d.tell(transferee.edge(), new LegCommand.ResumeLeg(callId, transferee.legId()));
      }
    } else {
      // Nobody is left to take the transferee back.
      end(d, cause, Optional.empty());
    }
  }

  private ReplyEffect<CallEvent, CallState> onHandOverPartner(CallState s, HandOverPartner c) {
    Optional<CallLeg> partner = s.otherParty(c.replacedLegId()).filter(CallLeg::isLive);
    if (partner.isEmpty() || s.transfer().isPresent()) {
      return Effect().reply(c.replyTo(), StatusReply.error("leg " + c.replacedLegId()
          + " is not connected in call " + callId + " or a transfer is in progress"));
    }
    CallLeg given = partner.get();
    Decision d = new Decision(s).persist(new CallEvent.LegHandedOver(given.legId(), c.requestingCallId()));
    d.tell(given.edge(), new LegCommand.MoveLeg(callId, given.legId(), c.requestingCallId()));
    d.then(st -> activity(st, given.legId(), false)); // the user is now on the requesting call
    end(d, HangupCause.NORMAL, Optional.empty());
    return run(d, c.replyTo(), st -> StatusReply.success(given));
  }

  private ReplyEffect<CallEvent, CallState> onHandOverWhenEnded(CallState s, HandOverPartner c) {
    // A retried hand-over finds the call ended by the first one: answer it the same way.
    Optional<CallLeg> given = s.handedOver().entrySet().stream()
        .filter(e -> e.getValue().equals(c.requestingCallId())).findFirst().flatMap(e -> s.leg(e.getKey()));
    return Effect().reply(c.replyTo(), given.map(StatusReply::success)
        .orElseGet(() -> StatusReply.error("call " + callId + " has ended")));
  }

  // --- the end ---

  /**
   * Persists the one CallEnded and releases every live leg but {@code reportedBy} (which hung up
   * itself). Unanswered legs hear {@code cause}; answered ones a normal BYE.
   */
  private Decision end(Decision d, HangupCause cause, Optional<String> reportedBy) {
    CallState before = d.state;
    List<CallLeg> live = before.liveLegs();
    d.persist(new CallEvent.CallEnded(before.record(cause, clock.instant())));
    for (CallLeg leg : live) {
      if (reportedBy.equals(Optional.of(leg.legId()))) {
        continue;
      }
      HangupCause toLeg = leg.status() == CallLeg.Status.ANSWERED
          ? (cause == HangupCause.MAX_DURATION ? cause : HangupCause.NORMAL)
          : leg.role() == CallLeg.Role.CALLEE ? HangupCause.CANCELLED
          : unansweredCallerCause(cause);
      d.tell(leg.edge(), new LegCommand.HangupLeg(callId, leg.legId(), toLeg));
    }
    d.then(st -> {
      timers.cancelAll();
      passivate();
      live.stream().filter(l -> l.status() == CallLeg.Status.ANSWERED).forEach(l -> activity(st, l.legId(), false));
    });
    return d;
  }

  /**
   * What an unanswered caller is told: the call's cause, except that "normal" and "maximum
   * duration" are not final responses an unanswered INVITE can get (their status is 200).
   */
  static HangupCause unansweredCallerCause(HangupCause cause) {
    return cause == HangupCause.NORMAL || cause == HangupCause.MAX_DURATION ? HangupCause.UNAVAILABLE : cause;
  }

  /** A leg that speaks after its part is over is told, again, to hang up. */
  private Decision hangUpLateLeg(Decision d, String legId) {
    d.state.leg(legId)
        .filter(l -> l.role() == CallLeg.Role.CALLEE && l.status() != CallLeg.Status.ANSWERED
            && l.status() != CallLeg.Status.HANDED_OVER)
        .ifPresent(l -> d.tell(l.edge(), new LegCommand.HangupLeg(callId, legId, HangupCause.CANCELLED)));
    return d;
  }

  /**
   * An ended call still answers its legs: a late answer or alert is hung up; a report about a leg
   * it handed over goes to the call that has the leg now (the edge may not have moved it yet).
   */
  private ReplyEffect<CallEvent, CallState> onReportWhenEnded(CallState s, LegReport c) {
    Optional<String> movedTo = Optional.ofNullable(s.handedOver().get(c.legId()));
    if (movedTo.isPresent()) {
      peers.call(movedTo.get()).tell(c);
      return Effect().noReply(); // the call that has the leg answers
    }
    Decision d = new Decision(s);
    if (c instanceof LegAnswered || c instanceof LegAlerting) {
      hangUpLateLeg(d, c.legId());
    }
    return ack(d, c);
  }

  /** A hand-over that came back after the transfer was given up: that party is released. */
  private ReplyEffect<CallEvent, CallState> releaseUnwanted(HandOverDone c) {
    c.leg().ifPresent(l -> {
      context.getLog().info("Call {}: releasing leg {} handed over too late", callId, l.legId());
      l.edge().tell(new LegCommand.HangupLeg(callId, l.legId(), HangupCause.NORMAL));
    });
    return Effect().noReply();
  }

  private void activity(CallState s, String legId, boolean active) {
    s.leg(legId).flatMap(CallLeg::userId).ifPresent(user ->
        routing.callActivity(s.tenantId(), user, callId, active));
  }

  static CallInfo info(CallState s) {
    return new CallInfo(s.callId(), s.tenantId(), s.phase(), s.direction(), s.caller(), s.dialled(), s.startedAt(),
        s.answeredAt(), s.ended().map(CallRecord::endedAt), s.ended().map(CallRecord::cause),
        s.legs().values().stream().map(l -> new CallRecord.LegSummary(l.legId(), l.role(), l.party().address(),
            l.status())).toList());
  }

  // --- events and recovery ---

  @Override
  public EventHandler<CallState, CallEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(CallState::apply);
  }

  @Override
  public SignalHandler<CallState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::resume).build();
  }

  /** After recovery (a restart or a failover): re-arm the timers and redo what was in flight. */
  private void resume(CallState s) {
    if (s.phase() == Phase.NEW) {
      return;
    }
    resend(s);
    if (s.phase() == Phase.ENDED) {
      passivate(); // woken by a late message, which is still answered before the stop
      return;
    }
    context.getLog().info("Call {} resumed in phase {}", callId, s.phase());
    armMaxDuration(s);
    s.attempt().ifPresent(a -> {
      if (a.isRouting()) {
        route(s, a);
      } else {
        armRingTimer(s);
      }
    });
    // A hand-over asked before the failover may have happened already: the consultation call
    // answers a repeated request from its ended state with the leg it gave.
    s.transfer().filter(t -> t.kind() == TransferKind.ATTENDED)
        .ifPresent(t -> askHandOver(t.transferId(), t.target(), t.consultationLegId(), 1));
  }

  /**
   * Side effects run after their events are persisted, so a crash in between loses them. After
   * recovery the call therefore repeats what its legs must have been told by now (every Leg
   * command is idempotent at the edge): offers to the devices still ringing, the answer to a
   * connected caller, and the hangups of legs that are over.
   */
  private void resend(CallState s) {
    s.attempt().flatMap(a -> a.route().filter(r -> a.step() >= 0).map(r -> {
      List<RoutingOutcome.RingTarget> targets = r.steps().get(a.step()).targets();
      CallLeg offerer = a.purpose() == Purpose.CALL ? s.callerLeg()
          : s.transfer().flatMap(t -> s.leg(t.transfereeLegId())).orElse(s.callerLeg());
      for (int i = 0; i < a.stepLegIds().size(); i++) {
        String legId = a.stepLegIds().get(i);
        RoutingOutcome.RingTarget target = targets.get(i);
        s.leg(legId).filter(CallLeg::isLive).ifPresent(l -> l.edge().tell(new LegCommand.OfferLeg(callId, legId,
            s.tenantId(), target.contact().uri(), offerer.party(), target.party(), offerer.description())));
      }
      return a;
    }));
    if (s.phase() == Phase.CONNECTED && s.connected().contains(s.callerLegId())) {
      s.otherParty(s.callerLegId()).flatMap(CallLeg::description).ifPresent(answer ->
          s.callerLeg().edge().tell(new LegCommand.AnswerLeg(callId, s.callerLegId(), answer)));
    }
    for (CallLeg leg : s.legs().values()) {
      if (leg.isLive() || leg.status() == CallLeg.Status.HANDED_OVER) {
        continue;
      }
      HangupCause cause = leg.status() == CallLeg.Status.ENDED ? HangupCause.NORMAL
          : leg.role() == CallLeg.Role.CALLEE ? HangupCause.CANCELLED
          : unansweredCallerCause(s.ended().map(CallRecord::cause).orElse(HangupCause.CANCELLED));
      leg.edge().tell(new LegCommand.HangupLeg(callId, leg.legId(), cause));
    }
  }
}
