package io.switchboard.call.user;

import io.switchboard.call.HangupCause;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One user of one tenant as the call control core sees them: where they can be reached (registered
 * devices), how they want to be reached (presence, call waiting, forwarding, ringing), and whether
 * they are on a call. A Call asks {@link GetRingPlan} and carries out the answer.
 *
 * <p>Sharded on the {@code core} role; entity id {@code tenantId:userId}.
 *
 * <p>Time: registrations lapse at their {@code expiresAt} and an active call whose "ended" report
 * was lost is forgotten after the maximum call duration. Queries filter both by the injected clock,
 * so a lapsed device is never offered to a call even before it is pruned. Pruning persists an event
 * ({@link RegistrationsLapsed}, {@link StaleCallsForgotten}) from a timer that runs only while the
 * entity is alive (a timer does not keep a sharded entity from passivating) and once after every
 * recovery, so a passivated user is tidied the next time anything wakes it.
 */
public final class User extends EventSourcedBehaviorWithEnforcedReplies<User.Command, User.Event, User.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "User");

  /** Call ids kept after their end, so that a retried "active" arriving late does not revive a call. */
  static final int REMEMBERED_ENDED_CALLS = 16;
  /**
   * The longest single wait of the tidy timer. Deadlines further away are reached in steps: the
   * scheduler refuses delays of many months, and a registration may claim a far expiry.
   */
  static final Duration MAX_TIDY_DELAY = Duration.ofHours(12);
  private static final String TIDY_TIMER = "tidy";

  // --- protocol ---

  public sealed interface Command extends ProtobufSerializable
      permits Register, Unregister, UnregisterAll, GetRegistrations, SetPresence, GetPresence, SetCallWaiting,
      SetForwarding, SetRingMode, UpdateSettings, GetSettings, CallActivity, GetRingPlan, PruneLapsed {}

  /**
   * Register a device, or refresh it (same {@code deviceId}: the contact is replaced and keeps its
   * place in the ringing order). Answers the live registrations, as a SIP registrar's 200 lists
   * every current binding (RFC 3261 §10.3 step 8). Refused when {@code expiresAt} is not in the
   * future (removing a device is {@link Unregister}) or when a new device would exceed the limit.
   */
  public record Register(Contact contact, ActorRef<StatusReply<Registrations>> replyTo) implements Command {}

  /** Remove one device; removing one that is not registered is a success that changes nothing. */
  public record Unregister(String deviceId, ActorRef<StatusReply<Registrations>> replyTo) implements Command {}

  /** Remove every device (SIP {@code Contact: *} with {@code Expires: 0}). */
  public record UnregisterAll(ActorRef<StatusReply<Registrations>> replyTo) implements Command {}

  public record GetRegistrations(ActorRef<StatusReply<Registrations>> replyTo) implements Command {}

  public record SetPresence(Presence presence, ActorRef<StatusReply<PresenceInfo>> replyTo) implements Command {}

  public record GetPresence(ActorRef<StatusReply<PresenceInfo>> replyTo) implements Command {}

  /** With call waiting off, a user on a call is busy for every other call. */
  public record SetCallWaiting(boolean enabled, ActorRef<StatusReply<Settings>> replyTo) implements Command {}

  /**
   * Replace all forwarding rules at once. {@code ownAddresses} are the addresses that reach this
   * user (extension, direct numbers) as the sender knows them from the directory; a rule pointing
   * at one of them is refused. The user id itself always counts as one.
   */
  public record SetForwarding(Forwarding forwarding, Set<String> ownAddresses,
                              ActorRef<StatusReply<Settings>> replyTo) implements Command {
    public SetForwarding {
      ownAddresses = Set.copyOf(ownAddresses);
    }
  }

  /**
   * How devices ring, and for how long before the call is forwarded on no answer or ends (empty:
   * the installation's {@code switchboard.calls.no-answer-timeout}). A no-answer forwarding rule's
   * own delay takes precedence.
   */
  public record SetRingMode(RingPlan.RingMode mode, Optional<Duration> noAnswerTimeout,
                            ActorRef<StatusReply<Settings>> replyTo) implements Command {}

  /**
   * Change the given settings together, all or nothing: if one is invalid, none changes (the admin
   * API's PUT). {@code ringTimeout}, when given, is the user's own ringing time; a given {@code
   * forwarding} replaces every rule.
   */
  public record UpdateSettings(Optional<Presence> presence, Optional<Boolean> callWaiting,
                               Optional<RingPlan.RingMode> ringMode, Optional<Duration> ringTimeout,
                               Optional<Forwarding> forwarding, Set<String> ownAddresses,
                               ActorRef<StatusReply<Settings>> replyTo) implements Command {
    public UpdateSettings {
      ownAddresses = Set.copyOf(ownAddresses);
    }
  }

  public record GetSettings(ActorRef<StatusReply<Settings>> replyTo) implements Command {}

  /**
   * A Call reports that this user's leg connected ({@code active}) or ended. Idempotent per
   * {@code callId}: a repeat changes nothing, and a late "connected" after its "ended" is ignored.
   */
  public record CallActivity(String callId, boolean active, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * How to reach this user for call {@code callId}. If {@code callId} is already active here (a
   * retry), it does not count as another call.
   */
  public record GetRingPlan(String callId, ActorRef<StatusReply<RingPlan>> replyTo) implements Command {}

  /**
   * The tidy timer's tick: prune lapsed registrations and stale calls. Internal, so nobody waits
   * for a reply: it is the one command answered with none.
   */
  public record PruneLapsed() implements Command {
    static final PruneLapsed INSTANCE = new PruneLapsed();
  }

  // --- replies ---

  /** Live registrations in ringing order. */
  public record Registrations(List<Contact> contacts) implements ProtobufSerializable {
    public Registrations {
      contacts = List.copyOf(contacts);
    }
  }

  /** {@code effective} is what others see; {@code explicit} is what the user chose. */
  public record PresenceInfo(Presence effective, Presence explicit) implements ProtobufSerializable {}

  /**
   * Everything the user has set. {@code ringTimeout} is their own ringing time if any;
   * {@code effectiveNoAnswerTimeout} is what a call will use (forwarding delay, own time, default).
   */
  public record Settings(Presence presence, boolean callWaiting, Forwarding forwarding, RingPlan.RingMode ringMode,
                         Optional<Duration> ringTimeout, Duration effectiveNoAnswerTimeout)
      implements ProtobufSerializable {}

  // --- events ---

  public sealed interface Event extends ProtobufSerializable
      permits Registered, Unregistered, AllUnregistered, RegistrationsLapsed, PresenceSet, CallWaitingSet,
      ForwardingSet, RingModeSet, CallStarted, CallEnded, StaleCallsForgotten {}

  /** A device registered or refreshed its registration. */
  public record Registered(Contact contact) implements Event {}

  public record Unregistered(String deviceId) implements Event {}

  public record AllUnregistered() implements Event {}

  /** These registrations reached their expiry without a refresh. */
  public record RegistrationsLapsed(List<String> deviceIds) implements Event {
    public RegistrationsLapsed {
      deviceIds = List.copyOf(deviceIds);
    }
  }

  public record PresenceSet(Presence presence) implements Event {}

  public record CallWaitingSet(boolean enabled) implements Event {}

  public record ForwardingSet(Forwarding forwarding) implements Event {}

  public record RingModeSet(RingPlan.RingMode mode, Optional<Duration> noAnswerTimeout) implements Event {}

  public record CallStarted(String callId, Instant at) implements Event {
    public CallStarted {
      at = at.truncatedTo(ChronoUnit.MILLIS); // the journal carries milliseconds
    }
  }

  public record CallEnded(String callId) implements Event {}

  /** These calls were active for longer than any call may last: their "ended" report was lost. */
  public record StaleCallsForgotten(List<String> callIds) implements Event {
    public StaleCallsForgotten {
      callIds = List.copyOf(callIds);
    }
  }

  // --- state ---

  public record ActiveCall(String callId, Instant since) {
    public ActiveCall {
      since = since.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  /**
   * @param contacts registrations in registration order (which is the sequential ringing order),
   *     lapsed ones included until pruned
   * @param presence the explicit presence
   * @param ringTimeout the user's own ringing time, if set
   * @param activeCalls calls this user is on, oldest first
   * @param recentlyEnded the last {@link #REMEMBERED_ENDED_CALLS} ended call ids, oldest first
   */
  public record State(List<Contact> contacts, Presence presence, boolean callWaiting, Forwarding forwarding,
                      RingPlan.RingMode ringMode, Optional<Duration> ringTimeout, List<ActiveCall> activeCalls,
                      List<String> recentlyEnded) implements ProtobufSerializable {
    static final State INITIAL = new State(List.of(), Presence.AVAILABLE, true, Forwarding.NONE,
        RingPlan.RingMode.SIMULTANEOUS, Optional.empty(), List.of(), List.of());

    public State {
      contacts = List.copyOf(contacts);
      activeCalls = List.copyOf(activeCalls);
      recentlyEnded = List.copyOf(recentlyEnded);
    }

    State apply(Event event) {
      if (event instanceof Registered r) {
        List<Contact> next = new ArrayList<>(contacts);
        int at = indexOf(r.contact().deviceId());
        if (at >= 0) {
          next.set(at, r.contact());
        } else {
          next.add(r.contact());
        }
        return withContacts(next);
      } else if (event instanceof Unregistered u) {
        return withContacts(contacts.stream().filter(c -> !c.deviceId().equals(u.deviceId())).toList());
      } else if (event instanceof AllUnregistered) {
        return withContacts(List.of());
      } else if (event instanceof RegistrationsLapsed l) {
        return withContacts(contacts.stream().filter(c -> !l.deviceIds().contains(c.deviceId())).toList());
      } else if (event instanceof PresenceSet p) {
        return new State(contacts, p.presence(), callWaiting, forwarding, ringMode, ringTimeout, activeCalls,
            recentlyEnded);
      } else if (event instanceof CallWaitingSet w) {
        return new State(contacts, presence, w.enabled(), forwarding, ringMode, ringTimeout, activeCalls,
            recentlyEnded);
      } else if (event instanceof ForwardingSet f) {
        return new State(contacts, presence, callWaiting, f.forwarding(), ringMode, ringTimeout, activeCalls,
            recentlyEnded);
      } else if (event instanceof RingModeSet m) {
        return new State(contacts, presence, callWaiting, forwarding, m.mode(), m.noAnswerTimeout(), activeCalls,
            recentlyEnded);
      } else if (event instanceof CallStarted s) {
        if (isActive(s.callId()) || recentlyEnded.contains(s.callId())) {
          return this;
        }
        List<ActiveCall> calls = new ArrayList<>(activeCalls);
        calls.add(new ActiveCall(s.callId(), s.at()));
        return withCalls(calls, recentlyEnded);
      } else if (event instanceof CallEnded e) {
        return isActive(e.callId()) ? ended(List.of(e.callId())) : this;
      } else if (event instanceof StaleCallsForgotten f) {
        return ended(f.callIds());
      }
      throw new IllegalArgumentException("no state change for " + event);
    }

    /** Registrations that have not lapsed at {@code now}, in ringing order. */
    public List<Contact> liveContacts(Instant now) {
      return contacts.stream().filter(c -> c.isLiveAt(now)).toList();
    }

    /** Calls not older than {@code maxCallDuration} at {@code now}. */
    public List<ActiveCall> currentCalls(Instant now, Duration maxCallDuration) {
      return activeCalls.stream().filter(c -> c.since().plus(maxCallDuration).isAfter(now)).toList();
    }

    /**
     * What others see: OFFLINE without a live registration (whatever was chosen: nobody can be
     * called); DO_NOT_DISTURB as chosen; BUSY while on a call; otherwise the explicit presence.
     */
    public Presence effectivePresence(Instant now, Duration maxCallDuration) {
      if (liveContacts(now).isEmpty()) {
        return Presence.OFFLINE;
      }
      if (presence == Presence.DO_NOT_DISTURB) {
        return presence;
      }
      return currentCalls(now, maxCallDuration).isEmpty() ? presence : Presence.BUSY;
    }

    /** The earliest moment something lapses: a registration's expiry or a call's maximum duration. */
    Optional<Instant> nextDeadline(Duration maxCallDuration) {
      return Stream.concat(contacts.stream().map(Contact::expiresAt),
              activeCalls.stream().map(c -> c.since().plus(maxCallDuration)))
          .min(Comparator.naturalOrder());
    }

    private int indexOf(String deviceId) {
      for (int i = 0; i < contacts.size(); i++) {
        if (contacts.get(i).deviceId().equals(deviceId)) {
          return i;
        }
      }
      return -1;
    }

    private boolean isActive(String callId) {
      return activeCalls.stream().anyMatch(c -> c.callId().equals(callId));
    }

    private State ended(List<String> callIds) {
      List<String> remembered = new ArrayList<>(recentlyEnded);
      remembered.addAll(callIds);
      return withCalls(activeCalls.stream().filter(c -> !callIds.contains(c.callId())).toList(),
          remembered.subList(Math.max(0, remembered.size() - REMEMBERED_ENDED_CALLS), remembered.size()));
    }

    private State withContacts(List<Contact> next) {
      return new State(next, presence, callWaiting, forwarding, ringMode, ringTimeout, activeCalls, recentlyEnded);
    }

    private State withCalls(List<ActiveCall> calls, List<String> ended) {
      return new State(contacts, presence, callWaiting, forwarding, ringMode, ringTimeout, calls, ended);
    }
  }

  // --- wiring ---

  public static String entityId(String tenantId, String userId) {
    if (tenantId.isEmpty() || tenantId.contains(":") || userId.isEmpty()) {
      throw new IllegalArgumentException("a tenant id must be non-empty without ':', and a user id non-empty: '"
          + tenantId + "', '" + userId + "'");
    }
    return tenantId + ":" + userId;
  }

  public static EntityRef<Command> ref(ActorSystem<?> system, String tenantId, String userId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, entityId(tenantId, userId));
  }

  /** Registers the entity with sharding on the {@code core} role; other nodes only proxy to it. */
  public static void init(ActorSystem<?> system, UserSettings settings) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> {
      String id = ctx.getEntityId();
      int colon = id.indexOf(':');
      return create(id.substring(0, colon), id.substring(colon + 1), settings, Clock.systemUTC());
    }).withRole("core"));
  }

  public static Behavior<Command> create(String tenantId, String userId, UserSettings settings, Clock clock) {
    PersistenceId persistenceId = PersistenceId.of(ENTITY_KEY.name(), entityId(tenantId, userId));
    return Behaviors.withTimers(timers -> new User(persistenceId, userId, settings, clock, timers));
  }

  private final String userId;
  private final UserSettings settings;
  private final Clock clock;
  private final TimerScheduler<Command> timers;

  private User(PersistenceId persistenceId, String userId, UserSettings settings, Clock clock,
               TimerScheduler<Command> timers) {
    super(persistenceId);
    this.userId = userId;
    this.settings = settings;
    this.clock = clock;
    this.timers = timers;
  }

  @Override
  public State emptyState() {
    return State.INITIAL;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    // Whatever lapsed while the entity was passivated is pruned right after it wakes up.
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::scheduleTidy).build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(Unregister.class, (s, c) -> persistChanges(s, List.of(new Unregistered(c.deviceId())),
            c.replyTo(), this::registrations))
        .onCommand(UnregisterAll.class, (s, c) -> persistChanges(s, List.of(new AllUnregistered()),
            c.replyTo(), this::registrations))
        .onCommand(GetRegistrations.class, (s, c) -> reply(c.replyTo(), registrations(s)))
        .onCommand(SetPresence.class, (s, c) -> persistChanges(s, List.of(new PresenceSet(c.presence())),
            c.replyTo(), this::presenceInfo))
        .onCommand(GetPresence.class, (s, c) -> reply(c.replyTo(), presenceInfo(s)))
        .onCommand(SetCallWaiting.class, (s, c) -> persistChanges(s, List.of(new CallWaitingSet(c.enabled())),
            c.replyTo(), this::settingsOf))
        .onCommand(SetForwarding.class, this::onSetForwarding)
        .onCommand(SetRingMode.class, this::onSetRingMode)
        .onCommand(UpdateSettings.class, this::onUpdateSettings)
        .onCommand(GetSettings.class, (s, c) -> reply(c.replyTo(), settingsOf(s)))
        .onCommand(CallActivity.class, this::onCallActivity)
        .onCommand(GetRingPlan.class, (s, c) -> reply(c.replyTo(), ringPlan(s, c.callId())))
        .onCommand(PruneLapsed.class, this::onPruneLapsed)
        .build();
  }

  private ReplyEffect<Event, State> onRegister(State state, Register cmd) {
    Contact contact = cmd.contact();
    Instant now = clock.instant();
    if (contact.uri().isBlank() || contact.deviceId().isBlank()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("a registration needs a contact uri and a device id"));
    }
    if (!contact.isLiveAt(now)) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(
          "registration of " + contact.deviceId() + " expires at " + contact.expiresAt() + ", not in the future"));
    }
    List<Contact> live = state.liveContacts(now);
    boolean refresh = live.stream().anyMatch(c -> c.deviceId().equals(contact.deviceId()));
    // Refuse rather than evict the oldest: a device that registers must not silently take the
    // place of the desk phone, and a refused registration is visible to whoever set it up.
    if (!refresh && live.size() >= settings.maxDevices()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("device limit reached: " + settings.maxDevices()
          + " devices are registered; unregister one first"));
    }
    List<Event> events = new ArrayList<>();
    lapsedDevices(state, now).ifPresent(events::add); // lapsed ones leave first, so they never count
    events.add(new Registered(contact));
    return persistChanges(state, events, cmd.replyTo(), this::registrations);
  }

  private ReplyEffect<Event, State> onSetForwarding(State state, SetForwarding cmd) {
    Set<String> own = Stream.concat(cmd.ownAddresses().stream(), Stream.of(userId))
        .collect(Collectors.toSet());
    List<String> problems = cmd.forwarding().problems(own);
    if (!problems.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    return persistChanges(state, List.of(new ForwardingSet(cmd.forwarding())), cmd.replyTo(), this::settingsOf);
  }

  private ReplyEffect<Event, State> onSetRingMode(State state, SetRingMode cmd) {
    Optional<String> problem = cmd.noAnswerTimeout().flatMap(t -> Forwarding.ringTimeProblem("ringing time", t));
    if (problem.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(problem.get()));
    }
    return persistChanges(state, List.of(new RingModeSet(cmd.mode(), cmd.noAnswerTimeout())), cmd.replyTo(),
        this::settingsOf);
  }

  private ReplyEffect<Event, State> onUpdateSettings(State state, UpdateSettings cmd) {
    Set<String> own = Stream.concat(cmd.ownAddresses().stream(), Stream.of(userId)).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    cmd.forwarding().ifPresent(f -> problems.addAll(f.problems(own)));
    cmd.ringTimeout().flatMap(t -> Forwarding.ringTimeProblem("ringing time", t)).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    Settings current = settingsOf(state);
    List<Event> events = new ArrayList<>();
    cmd.presence().ifPresent(p -> events.add(new PresenceSet(p)));
    cmd.callWaiting().ifPresent(w -> events.add(new CallWaitingSet(w)));
    if (cmd.ringMode().isPresent() || cmd.ringTimeout().isPresent()) {
      events.add(new RingModeSet(cmd.ringMode().orElse(current.ringMode()),
          cmd.ringTimeout().or(current::ringTimeout)));
    }
    cmd.forwarding().ifPresent(f -> events.add(new ForwardingSet(f)));
    return persistChanges(state, events, cmd.replyTo(), this::settingsOf);
  }

  private ReplyEffect<Event, State> onCallActivity(State state, CallActivity cmd) {
    Event event = cmd.active() ? new CallStarted(cmd.callId(), clock.instant()) : new CallEnded(cmd.callId());
    return persistChanges(state, List.of(event), cmd.replyTo(), s -> Done.getInstance());
  }

  private ReplyEffect<Event, State> onPruneLapsed(State state, PruneLapsed tick) {
    Instant now = clock.instant();
    List<Event> events = new ArrayList<>();
    lapsedDevices(state, now).ifPresent(events::add);
    List<ActiveCall> current = state.currentCalls(now, settings.maxCallDuration());
    List<String> stale = state.activeCalls().stream().filter(c -> !current.contains(c)).map(ActiveCall::callId)
        .toList();
    if (!stale.isEmpty()) {
      events.add(new StaleCallsForgotten(stale));
    }
    if (events.isEmpty()) {
      // Woken early (a deadline beyond MAX_TIDY_DELAY, or clocks disagree): wait again.
      return Effect().none().thenRun(this::scheduleTidy).thenNoReply();
    }
    return persist(events).thenNoReply();
  }

  private Optional<Event> lapsedDevices(State state, Instant now) {
    List<String> lapsed = state.contacts().stream().filter(c -> !c.isLiveAt(now)).map(Contact::deviceId).toList();
    return lapsed.isEmpty() ? Optional.empty() : Optional.of(new RegistrationsLapsed(lapsed));
  }

  /**
   * Persists {@code events} and answers from the new state, or, when they would change nothing,
   * persists nothing and answers from the current one: repeated commands leave no trace.
   */
  private <R> ReplyEffect<Event, State> persistChanges(State state, List<Event> events,
                                                      ActorRef<StatusReply<R>> replyTo, Function<State, R> answer) {
    State next = state;
    for (Event event : events) {
      next = next.apply(event);
    }
    if (next.equals(state)) {
      return reply(replyTo, answer.apply(state));
    }
    return persist(events).thenReply(replyTo, s -> StatusReply.success(answer.apply(s)));
  }

  /** Every persisted change may move the next deadline, so the tidy timer is re-armed after each. */
  private EffectBuilder<Event, State> persist(List<Event> events) {
    return Effect().persist(events).thenRun(this::scheduleTidy);
  }

  private <R> ReplyEffect<Event, State> reply(ActorRef<StatusReply<R>> replyTo, R value) {
    return Effect().reply(replyTo, StatusReply.success(value));
  }

  private void scheduleTidy(State state) {
    Optional<Instant> deadline = state.nextDeadline(settings.maxCallDuration());
    if (deadline.isEmpty()) {
      timers.cancel(TIDY_TIMER);
      return;
    }
    Duration wait = Duration.between(clock.instant(), deadline.get());
    wait = wait.isNegative() ? Duration.ZERO : wait.compareTo(MAX_TIDY_DELAY) > 0 ? MAX_TIDY_DELAY : wait;
    timers.startSingleTimer(TIDY_TIMER, PruneLapsed.INSTANCE, wait);
  }

  // --- answers ---

  private Registrations registrations(State state) {
    return new Registrations(state.liveContacts(clock.instant()));
  }

  private PresenceInfo presenceInfo(State state) {
    return new PresenceInfo(state.effectivePresence(clock.instant(), settings.maxCallDuration()), state.presence());
  }

  private Duration noAnswerTimeout(State state) {
    return state.forwarding().noAnswer().map(Forwarding.NoAnswer::after)
        .or(state::ringTimeout)
        .orElse(settings.noAnswerTimeout());
  }

  private Settings settingsOf(State state) {
    return new Settings(state.presence(), state.callWaiting(), state.forwarding(), state.ringMode(),
        state.ringTimeout(), noAnswerTimeout(state));
  }

  /**
   * The routing decision, in order: forward always; busy (do not disturb, or on another call
   * without call waiting); unreachable (no live device, or explicitly offline); otherwise ring.
   */
  private RingPlan ringPlan(State state, String callId) {
    Instant now = clock.instant();
    Forwarding rules = state.forwarding();
    if (rules.always().isPresent()) {
      return new RingPlan.Forward(userId, rules.always().get(), RingPlan.ForwardReason.ALWAYS);
    }
    boolean onAnotherCall = state.currentCalls(now, settings.maxCallDuration()).stream()
        .anyMatch(c -> !c.callId().equals(callId));
    if (state.presence() == Presence.DO_NOT_DISTURB || (onAnotherCall && !state.callWaiting())) {
      return rules.busy().<RingPlan>map(t -> new RingPlan.Forward(userId, t, RingPlan.ForwardReason.BUSY))
          .orElseGet(() -> new RingPlan.Reject(userId, HangupCause.BUSY));
    }
    List<Contact> live = state.liveContacts(now);
    if (live.isEmpty() || state.presence() == Presence.OFFLINE) {
      return rules.unreachable()
          .<RingPlan>map(t -> new RingPlan.Forward(userId, t, RingPlan.ForwardReason.UNREACHABLE))
          .orElseGet(() -> new RingPlan.Reject(userId, HangupCause.UNAVAILABLE));
    }
    return new RingPlan.Ring(userId, live, state.ringMode(), noAnswerTimeout(state),
        rules.noAnswer().map(Forwarding.NoAnswer::target), rules.busy());
  }
}
