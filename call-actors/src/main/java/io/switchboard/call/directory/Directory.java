package io.switchboard.call.directory;

import io.switchboard.call.routing.Destination;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One tenant's directory: the tenant itself, its users (with SIP credentials as hashes only), ring
 * groups, numbers (DIDs), business-hours calendars and SIP trunks (carrier credentials as HA1 only),
 * and the routing of a dialled string to a
 * {@link Destination}. One sharded, event-sourced entity per tenant (entity id = tenant id) on the
 * {@code core} role.
 *
 * <p>Life cycle: before {@link CreateTenant} and after {@link DeleteTenant} every other command is
 * answered {@link DirectoryError.Kind#NOT_FOUND}; a deleted tenant stays deleted (its id is not
 * reused, so nothing that still refers to it can reach a newer tenant).
 *
 * <p>References are kept whole: a ring group's members, a number's targets and calendar must exist,
 * and deleting (or renumbering) something still referred to is refused with a conflict naming the
 * referrer, e.g. a user who is a member of a ring group. Errors are {@link DirectoryError}s whose
 * messages name the API field at fault.
 */
public final class Directory
    extends EventSourcedBehaviorWithEnforcedReplies<Directory.Command, Directory.Event, Directory.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Directory");
  /** Resolving round-robin groups persists an event per call: snapshots keep recovery short. */
  private static final int SNAPSHOT_EVERY = 100;

  // --- protocol ---

  public sealed interface Command extends ProtobufSerializable
      permits CreateTenant, UpdateTenant, DeleteTenant, CreateUser, UpdateUser, DeleteUser, CreateRingGroup,
      UpdateRingGroup, DeleteRingGroup, CreateDid, UpdateDid, DeleteDid, CreateBusinessHours, UpdateBusinessHours,
      DeleteBusinessHours, GetDirectory, GetSipCredentials, Resolve, CreateTrunk, UpdateTrunk, DeleteTrunk {
    /** Where the {@code StatusReply} goes; typed per command. */
    ActorRef<?> replyTo();
  }

  /**
   * Creates the tenant; repeating it with the same values answers the tenant again (a retried ask),
   * with other values it is a conflict.
   */
  public record CreateTenant(String name, Optional<String> sipRealm, Optional<String> countryCode, Instant at,
                             ActorRef<StatusReply<Tenant>> replyTo) implements Command {
    public CreateTenant {
      at = at.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  /**
   * Changes name, realm or country code. A new realm makes every stored SIP password
   * {@link UserView.SipPasswordState#STALE}: their HA1 values were computed with the old realm and
   * cannot be recomputed without the passwords, so {@link GetSipCredentials} refuses them until
   * each password is set again.
   */
  public record UpdateTenant(String name, String sipRealm, String countryCode, ActorRef<StatusReply<Tenant>> replyTo)
      implements Command {}

  public record DeleteTenant(Instant at, ActorRef<StatusReply<Done>> replyTo) implements Command {
    public DeleteTenant {
      at = at.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  /** {@code credentials} must be computed for the user's SIP username and the tenant's current realm. */
  public record CreateUser(UserEntry user, Optional<SipCredentials> credentials,
                           ActorRef<StatusReply<UserView>> replyTo) implements Command {}

  /** Replaces the user's fields; empty {@code credentials} keeps the stored ones. */
  public record UpdateUser(UserEntry user, Optional<SipCredentials> credentials,
                           ActorRef<StatusReply<UserView>> replyTo) implements Command {}

  public record DeleteUser(String userId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record CreateRingGroup(RingGroup group, ActorRef<StatusReply<RingGroup>> replyTo) implements Command {}

  public record UpdateRingGroup(RingGroup group, ActorRef<StatusReply<RingGroup>> replyTo) implements Command {}

  public record DeleteRingGroup(String groupId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record CreateDid(Did did, ActorRef<StatusReply<Did>> replyTo) implements Command {}

  public record UpdateDid(Did did, ActorRef<StatusReply<Did>> replyTo) implements Command {}

  public record DeleteDid(String number, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record CreateBusinessHours(BusinessHours calendar, ActorRef<StatusReply<BusinessHours>> replyTo)
      implements Command {}

  public record UpdateBusinessHours(BusinessHours calendar, ActorRef<StatusReply<BusinessHours>> replyTo)
      implements Command {}

  public record DeleteBusinessHours(String calendarId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  public record CreateTrunk(Trunk trunk, ActorRef<StatusReply<Trunk>> replyTo) implements Command {}

  /** Replaces the trunk's fields; empty {@code trunk.credentials()} keeps the stored ones. */
  public record UpdateTrunk(Trunk trunk, ActorRef<StatusReply<Trunk>> replyTo) implements Command {}

  public record DeleteTrunk(String trunkId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The whole directory without users' credentials (trunks carry their HA1 values, never a password). */
  public record GetDirectory(ActorRef<StatusReply<DirectoryView>> replyTo) implements Command {}

  /** The digest HA1 values of the user with this SIP username (for the SIP edge's authentication). */
  public record GetSipCredentials(String username, ActorRef<StatusReply<DigestCredentials>> replyTo)
      implements Command {}

  /**
   * What {@code dialled} reaches at {@code at} (see {@link DialPlan} for the accepted forms).
   * Resolving a round-robin group moves its rotation on by one, persisted before the reply.
   */
  public record Resolve(String dialled, Instant at, ActorRef<StatusReply<Destination>> replyTo) implements Command {
    public Resolve {
      at = at.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  public sealed interface Event extends ProtobufSerializable
      permits TenantCreated, TenantUpdated, TenantDeleted, UserCreated, UserUpdated, UserDeleted, RingGroupCreated,
      RingGroupUpdated, RingGroupDeleted, RingGroupRotated, DidCreated, DidUpdated, DidDeleted, BusinessHoursCreated,
      BusinessHoursUpdated, BusinessHoursDeleted, TrunkCreated, TrunkUpdated, TrunkDeleted {}

  public record TenantCreated(Tenant tenant) implements Event {}

  public record TenantUpdated(String name, String sipRealm, String countryCode) implements Event {}

  public record TenantDeleted(Instant at) implements Event {
    public TenantDeleted {
      at = at.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  public record UserCreated(UserEntry user, Optional<SipCredentials> credentials) implements Event {}

  /** Empty {@code credentials}: the stored ones are kept. */
  public record UserUpdated(UserEntry user, Optional<SipCredentials> credentials) implements Event {}

  public record UserDeleted(String userId) implements Event {}

  public record RingGroupCreated(RingGroup group) implements Event {}

  public record RingGroupUpdated(RingGroup group) implements Event {}

  public record RingGroupDeleted(String groupId) implements Event {}

  /** A round-robin group was offered a call; the next one starts at member {@code nextIndex}. */
  public record RingGroupRotated(String groupId, int nextIndex) implements Event {}

  public record DidCreated(Did did) implements Event {}

  public record DidUpdated(Did did) implements Event {}

  public record DidDeleted(String number) implements Event {}

  public record BusinessHoursCreated(BusinessHours calendar) implements Event {}

  public record BusinessHoursUpdated(BusinessHours calendar) implements Event {}

  public record BusinessHoursDeleted(String calendarId) implements Event {}

  public record TrunkCreated(Trunk trunk) implements Event {}

  /** Empty {@code trunk.credentials()}: the stored ones are kept. */
  public record TrunkUpdated(Trunk trunk) implements Event {}

  public record TrunkDeleted(String trunkId) implements Event {}

  /** A user with what is stored of their SIP password. */
  public record UserRecord(UserEntry user, Optional<SipCredentials> credentials) {}

  /**
   * The directory. {@code tenant} is empty before creation; {@code deleted} is final. Maps are
   * sorted by id so that views list in a stable order.
   */
  public record State(Optional<Tenant> tenant, boolean deleted, SortedMap<String, UserRecord> users,
                      SortedMap<String, RingGroup> ringGroups, SortedMap<String, Did> numbers,
                      SortedMap<String, BusinessHours> calendars, SortedMap<String, Integer> cursors,
                      SortedMap<String, Trunk> trunks)
      implements ProtobufSerializable {
    static final State EMPTY = new State(Optional.empty(), false, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
        new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

    public State {
      users = frozen(users);
      ringGroups = frozen(ringGroups);
      numbers = frozen(numbers);
      calendars = frozen(calendars);
      cursors = frozen(cursors);
      trunks = frozen(trunks);
    }

    boolean isActive() {
      return tenant.isPresent() && !deleted;
    }

    State apply(Event event) {
      if (event instanceof TenantCreated e) {
        return new State(Optional.of(e.tenant()), false, users, ringGroups, numbers, calendars, cursors, trunks);
      } else if (event instanceof TenantUpdated e) {
        Tenant t = tenant.orElseThrow();
        return withTenant(new Tenant(t.tenantId(), e.name(), e.sipRealm(), e.countryCode(), t.createdAt()));
      } else if (event instanceof TenantDeleted) {
        return new State(tenant, true, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
            new TreeMap<>());
      } else if (event instanceof UserCreated e) {
        return withUsers(with(users, e.user().userId(), new UserRecord(e.user(), e.credentials())));
      } else if (event instanceof UserUpdated e) {
        Optional<SipCredentials> credentials = e.credentials().isPresent() ? e.credentials()
            : users.get(e.user().userId()).credentials();
        return withUsers(with(users, e.user().userId(), new UserRecord(e.user(), credentials)));
      } else if (event instanceof UserDeleted e) {
        return withUsers(without(users, e.userId()));
      } else if (event instanceof RingGroupCreated e) {
        return withRingGroups(with(ringGroups, e.group().groupId(), e.group()), cursors);
      } else if (event instanceof RingGroupUpdated e) {
        return withRingGroups(with(ringGroups, e.group().groupId(), e.group()), cursors);
      } else if (event instanceof RingGroupDeleted e) {
        return withRingGroups(without(ringGroups, e.groupId()), without(cursors, e.groupId()));
      } else if (event instanceof RingGroupRotated e) {
        return withRingGroups(ringGroups, with(cursors, e.groupId(), e.nextIndex()));
      } else if (event instanceof DidCreated e) {
        return withNumbers(with(numbers, e.did().number(), e.did()));
      } else if (event instanceof DidUpdated e) {
        return withNumbers(with(numbers, e.did().number(), e.did()));
      } else if (event instanceof DidDeleted e) {
        return withNumbers(without(numbers, e.number()));
      } else if (event instanceof BusinessHoursCreated e) {
        return withCalendars(with(calendars, e.calendar().calendarId(), e.calendar()));
      } else if (event instanceof BusinessHoursUpdated e) {
        return withCalendars(with(calendars, e.calendar().calendarId(), e.calendar()));
      } else if (event instanceof BusinessHoursDeleted e) {
        return withCalendars(without(calendars, e.calendarId()));
      } else if (event instanceof TrunkCreated e) {
        return withTrunks(with(trunks, e.trunk().trunkId(), e.trunk()));
      } else if (event instanceof TrunkUpdated e) {
        return withTrunks(with(trunks, e.trunk().trunkId(), keepingCredentials(e.trunk())));
      }
      return withTrunks(without(trunks, ((TrunkDeleted) event).trunkId()));
    }

    /**
     * {@code trunk} as an update stores it: with empty credentials, those of the stored trunk of
     * that id (if any) are kept.
     */
    Trunk keepingCredentials(Trunk trunk) {
      Trunk stored = trunks.get(trunk.trunkId());
      return trunk.credentials().isPresent() || stored == null ? trunk : trunk.withCredentials(stored.credentials());
    }

    private State withTenant(Tenant t) {
      return new State(Optional.of(t), deleted, users, ringGroups, numbers, calendars, cursors, trunks);
    }

    private State withUsers(Map<String, UserRecord> u) {
      return new State(tenant, deleted, new TreeMap<>(u), ringGroups, numbers, calendars, cursors, trunks);
    }

    private State withRingGroups(Map<String, RingGroup> g, Map<String, Integer> c) {
      return new State(tenant, deleted, users, new TreeMap<>(g), numbers, calendars, new TreeMap<>(c), trunks);
    }

    private State withNumbers(Map<String, Did> n) {
      return new State(tenant, deleted, users, ringGroups, new TreeMap<>(n), calendars, cursors, trunks);
    }

    private State withCalendars(Map<String, BusinessHours> c) {
      return new State(tenant, deleted, users, ringGroups, numbers, new TreeMap<>(c), cursors, trunks);
    }

    private State withTrunks(Map<String, Trunk> t) {
      return new State(tenant, deleted, users, ringGroups, numbers, calendars, cursors, new TreeMap<>(t));
    }

    UserView view(UserRecord record) {
      String realm = tenant.orElseThrow().sipRealm();
      UserView.SipPasswordState sipPassword = record.credentials()
          .map(c -> c.matches(record.user().sipUsername(), realm) ? UserView.SipPasswordState.CURRENT
              : UserView.SipPasswordState.STALE)
          .orElse(UserView.SipPasswordState.NOT_SET);
      return new UserView(record.user(), sipPassword);
    }

    DirectoryView view() {
      return new DirectoryView(tenant.orElseThrow(), users.values().stream().map(this::view).toList(),
          List.copyOf(ringGroups.values()), List.copyOf(numbers.values()), List.copyOf(calendars.values()),
          List.copyOf(trunks.values()));
    }

    private static <K, V> SortedMap<K, V> frozen(Map<K, V> map) {
      return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    private static <K, V> Map<K, V> with(Map<K, V> map, K key, V value) {
      TreeMap<K, V> copy = new TreeMap<>(map);
      copy.put(key, value);
      return copy;
    }

    private static <K, V> Map<K, V> without(Map<K, V> map, K key) {
      TreeMap<K, V> copy = new TreeMap<>(map);
      copy.remove(key);
      return copy;
    }
  }

  // --- wiring ---

  /** Registers the entity with sharding; nodes without the {@code core} role only proxy to it. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY,
            ctx -> create(ctx.getEntityId(), PersistenceId.of(ENTITY_KEY.name(), ctx.getEntityId())))
        .withRole("core"));
  }

  public static EntityRef<Command> ref(ActorSystem<?> system, String tenantId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, tenantId);
  }

  public static Behavior<Command> create(String tenantId, PersistenceId persistenceId) {
    return new Directory(tenantId, persistenceId);
  }

  private final String tenantId;

  private Directory(String tenantId, PersistenceId persistenceId) {
    super(persistenceId);
    this.tenantId = tenantId;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> notCreated =
        newCommandHandlerWithReplyBuilder().forState(s -> s.tenant().isEmpty());
    notCreated.onCommand(CreateTenant.class, this::createTenant)
        .onAnyCommand(cmd -> error(cmd, DirectoryError.notFound("tenant " + tenantId + " does not exist")));

    // Terminal: a deleted tenant absorbs everything, including a late CreateTenant.
    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> deleted =
        newCommandHandlerWithReplyBuilder().forState(State::deleted);
    deleted.onAnyCommand(cmd -> error(cmd, DirectoryError.notFound("tenant " + tenantId + " does not exist")));

    DirectoryRules rules = new DirectoryRules();
    CommandHandlerWithReplyBuilderByState<Command, Event, State, State> active =
        newCommandHandlerWithReplyBuilder().forState(State::isActive);
    active
        .onCommand(CreateTenant.class, this::createTenant)
        .onCommand(UpdateTenant.class, (s, c) -> updateTenant(s, c, rules))
        .onCommand(DeleteTenant.class, (s, c) -> Effect().persist(new TenantDeleted(c.at()))
            .thenReply(c.replyTo(), x -> StatusReply.ack()))
        .onCommand(CreateUser.class, (s, c) -> saveUser(s, true, c.user(), c.credentials(), c.replyTo(), rules))
        .onCommand(UpdateUser.class, (s, c) -> saveUser(s, false, c.user(), c.credentials(), c.replyTo(), rules))
        .onCommand(DeleteUser.class, (s, c) -> delete(s.users().containsKey(c.userId()), "user " + c.userId(),
            rules.userInUse(s, c.userId()), new UserDeleted(c.userId()), c.replyTo()))
        .onCommand(CreateRingGroup.class, (s, c) -> saveRingGroup(s, true, c.group(), c.replyTo(), rules))
        .onCommand(UpdateRingGroup.class, (s, c) -> saveRingGroup(s, false, c.group(), c.replyTo(), rules))
        .onCommand(DeleteRingGroup.class, (s, c) -> delete(s.ringGroups().containsKey(c.groupId()),
            "ring group " + c.groupId(), rules.ringGroupInUse(s, c.groupId()), new RingGroupDeleted(c.groupId()),
            c.replyTo()))
        .onCommand(CreateDid.class, (s, c) -> saveDid(s, true, c.did(), c.replyTo(), rules))
        .onCommand(UpdateDid.class, (s, c) -> saveDid(s, false, c.did(), c.replyTo(), rules))
        .onCommand(DeleteDid.class, (s, c) -> delete(s.numbers().containsKey(c.number()), "number " + c.number(),
            Optional.empty(), new DidDeleted(c.number()), c.replyTo()))
        .onCommand(CreateBusinessHours.class, (s, c) -> saveCalendar(s, true, c.calendar(), c.replyTo(), rules))
        .onCommand(UpdateBusinessHours.class, (s, c) -> saveCalendar(s, false, c.calendar(), c.replyTo(), rules))
        .onCommand(DeleteBusinessHours.class, (s, c) -> delete(s.calendars().containsKey(c.calendarId()),
            "business hours " + c.calendarId(), rules.calendarInUse(s, c.calendarId()),
            new BusinessHoursDeleted(c.calendarId()), c.replyTo()))
        .onCommand(CreateTrunk.class, (s, c) -> saveTrunk(s, true, c.trunk(), c.replyTo(), rules))
        .onCommand(UpdateTrunk.class, (s, c) -> saveTrunk(s, false, c.trunk(), c.replyTo(), rules))
        .onCommand(DeleteTrunk.class, (s, c) -> delete(s.trunks().containsKey(c.trunkId()), "trunk " + c.trunkId(),
            Optional.empty(), new TrunkDeleted(c.trunkId()), c.replyTo()))
        .onCommand(GetDirectory.class, (s, c) -> Effect().reply(c.replyTo(), StatusReply.success(s.view())))
        .onCommand(GetSipCredentials.class, (s, c) -> Effect().reply(c.replyTo(), sipCredentials(s, c.username())))
        .onCommand(Resolve.class, this::resolve);

    return notCreated.orElse(deleted).orElse(active).build();
  }

  private ReplyEffect<Event, State> createTenant(State state, CreateTenant cmd) {
    Tenant wanted = new Tenant(tenantId, cmd.name(), cmd.sipRealm().orElse(Tenant.defaultRealm(tenantId)),
        cmd.countryCode().orElse(DirectoryRules.DEFAULT_COUNTRY_CODE), cmd.at());
    if (state.tenant().isPresent()) {
      Tenant existing = state.tenant().get();
      boolean same = existing.name().equals(wanted.name()) && existing.sipRealm().equals(wanted.sipRealm())
          && existing.countryCode().equals(wanted.countryCode());
      return same ? Effect().reply(cmd.replyTo(), StatusReply.success(existing))
          : error(cmd, DirectoryError.conflict("tenant " + tenantId + " already exists"));
    }
    Optional<DirectoryError> invalid = new DirectoryRules().checkTenant(wanted.name(), wanted.sipRealm(),
        wanted.countryCode());
    if (invalid.isPresent()) {
      return error(cmd, invalid.get());
    }
    return Effect().persist(new TenantCreated(wanted))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.tenant().orElseThrow()));
  }

  private ReplyEffect<Event, State> updateTenant(State state, UpdateTenant cmd, DirectoryRules rules) {
    Tenant t = state.tenant().orElseThrow();
    if (t.name().equals(cmd.name()) && t.sipRealm().equals(cmd.sipRealm())
        && t.countryCode().equals(cmd.countryCode())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(t));
    }
    return persistChecked(rules.checkTenant(cmd.name(), cmd.sipRealm(), cmd.countryCode()),
        new TenantUpdated(cmd.name(), cmd.sipRealm(), cmd.countryCode()), cmd.replyTo(),
        s -> s.tenant().orElseThrow());
  }

  private ReplyEffect<Event, State> saveUser(State state, boolean create, UserEntry user,
                                             Optional<SipCredentials> credentials,
                                             ActorRef<StatusReply<UserView>> replyTo, DirectoryRules rules) {
    Optional<UserRecord> existing = Optional.ofNullable(state.users().get(user.userId()));
    boolean unchanged = existing.map(r -> r.user().equals(user)
        && (credentials.isEmpty() && !create || credentials.equals(r.credentials()))).orElse(false);
    Event event = create ? new UserCreated(user, credentials) : new UserUpdated(user, credentials);
    return save(state, create, "user " + user.userId(), existing.isPresent(), unchanged,
        () -> rules.checkUser(state, user, credentials), event, replyTo,
        s -> s.view(s.users().get(user.userId())));
  }

  private ReplyEffect<Event, State> saveRingGroup(State state, boolean create, RingGroup group,
                                                  ActorRef<StatusReply<RingGroup>> replyTo, DirectoryRules rules) {
    Optional<RingGroup> existing = Optional.ofNullable(state.ringGroups().get(group.groupId()));
    Event event = create ? new RingGroupCreated(group) : new RingGroupUpdated(group);
    return save(state, create, "ring group " + group.groupId(), existing.isPresent(), existing.equals(Optional.of(group)),
        () -> rules.checkRingGroup(state, group), event, replyTo, s -> s.ringGroups().get(group.groupId()));
  }

  private ReplyEffect<Event, State> saveDid(State state, boolean create, Did did, ActorRef<StatusReply<Did>> replyTo,
                                            DirectoryRules rules) {
    Optional<Did> existing = Optional.ofNullable(state.numbers().get(did.number()));
    Event event = create ? new DidCreated(did) : new DidUpdated(did);
    return save(state, create, "number " + did.number(), existing.isPresent(), existing.equals(Optional.of(did)),
        () -> rules.checkDid(state, did), event, replyTo, s -> s.numbers().get(did.number()));
  }

  private ReplyEffect<Event, State> saveCalendar(State state, boolean create, BusinessHours calendar,
                                                 ActorRef<StatusReply<BusinessHours>> replyTo, DirectoryRules rules) {
    Optional<BusinessHours> existing = Optional.ofNullable(state.calendars().get(calendar.calendarId()));
    Event event = create ? new BusinessHoursCreated(calendar) : new BusinessHoursUpdated(calendar);
    return save(state, create, "business hours " + calendar.calendarId(), existing.isPresent(),
        existing.equals(Optional.of(calendar)), () -> rules.checkCalendar(calendar), event, replyTo,
        s -> s.calendars().get(calendar.calendarId()));
  }

  private ReplyEffect<Event, State> saveTrunk(State state, boolean create, Trunk trunk,
                                              ActorRef<StatusReply<Trunk>> replyTo, DirectoryRules rules) {
    Optional<Trunk> existing = Optional.ofNullable(state.trunks().get(trunk.trunkId()));
    Trunk stored = create ? trunk : state.keepingCredentials(trunk);
    Event event = create ? new TrunkCreated(trunk) : new TrunkUpdated(trunk);
    return save(state, create, "trunk " + trunk.trunkId(), existing.isPresent(), existing.equals(Optional.of(stored)),
        () -> rules.checkTrunk(stored), event, replyTo, s -> s.trunks().get(trunk.trunkId()));
  }

  /**
   * Create or update of one entry. A create of an existing entry with the same values answers it
   * again (a retried ask), with other values it is a conflict; an update that changes nothing
   * persists nothing.
   */
  private <R> ReplyEffect<Event, State> save(State state, boolean create, String what, boolean exists, boolean unchanged,
                                             Supplier<Optional<DirectoryError>> rules, Event event,
                                             ActorRef<StatusReply<R>> replyTo, Function<State, R> view) {
    if (create && exists && !unchanged) {
      return Effect().reply(replyTo, StatusReply.error(DirectoryError.conflict(what + " already exists")));
    }
    if (!create && !exists) {
      return Effect().reply(replyTo, StatusReply.error(DirectoryError.notFound(what + " does not exist")));
    }
    if (unchanged) {
      return Effect().reply(replyTo, StatusReply.success(view.apply(state)));
    }
    return persistChecked(rules.get(), event, replyTo, view);
  }

  private <R> ReplyEffect<Event, State> persistChecked(Optional<DirectoryError> invalid, Event event,
                                                       ActorRef<StatusReply<R>> replyTo, Function<State, R> view) {
    if (invalid.isPresent()) {
      return Effect().reply(replyTo, StatusReply.error(invalid.get()));
    }
    return Effect().persist(event).thenReply(replyTo, s -> StatusReply.success(view.apply(s)));
  }

  private ReplyEffect<Event, State> delete(boolean exists, String what, Optional<DirectoryError> inUse, Event event,
                                           ActorRef<StatusReply<Done>> replyTo) {
    if (!exists) {
      return Effect().reply(replyTo, StatusReply.error(DirectoryError.notFound(what + " does not exist")));
    }
    if (inUse.isPresent()) {
      return Effect().reply(replyTo, StatusReply.error(inUse.get()));
    }
    return Effect().persist(event).thenReply(replyTo, s -> StatusReply.ack());
  }

  private static StatusReply<DigestCredentials> sipCredentials(State state, String username) {
    String realm = state.tenant().orElseThrow().sipRealm();
    Optional<UserRecord> found = state.users().values().stream()
        .filter(r -> r.user().sipUsername().equals(username)).findFirst();
    if (found.isEmpty()) {
      return StatusReply.error(DirectoryError.notFound("no user has the SIP username " + username));
    }
    UserRecord record = found.get();
    if (record.credentials().isEmpty()) {
      return StatusReply.error(DirectoryError.notFound("user " + record.user().userId() + " has no SIP password"));
    }
    SipCredentials c = record.credentials().get();
    if (!c.matches(username, realm)) {
      return StatusReply.error(DirectoryError.conflict("the SIP password of user " + record.user().userId()
          + " was set for " + c.sipUsername() + "@" + c.realm() + ", not " + username + "@" + realm
          + ": set it again"));
    }
    return StatusReply.success(new DigestCredentials(record.user().userId(), username, realm, c.ha1Md5(),
        c.ha1Sha256(), record.user().extension(), record.user().displayName()));
  }

  private ReplyEffect<Event, State> resolve(State state, Resolve cmd) {
    DirectoryRouting.Resolution resolution = new DirectoryRouting(state).resolve(cmd.dialled(), cmd.at());
    if (resolution.rotated().isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(resolution.destination()));
    }
    return Effect().persist(resolution.rotated().get())
        .thenReply(cmd.replyTo(), s -> StatusReply.success(resolution.destination()));
  }

  @SuppressWarnings("unchecked")
  private ReplyEffect<Event, State> error(Command cmd, DirectoryError error) {
    // Every reply type is a StatusReply, and an error carries no value: the cast cannot fail.
    ActorRef<StatusReply<Object>> replyTo = (ActorRef<StatusReply<Object>>) cmd.replyTo();
    return Effect().reply(replyTo, StatusReply.error(error));
  }
}
