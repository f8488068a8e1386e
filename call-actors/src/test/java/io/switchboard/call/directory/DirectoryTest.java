package io.switchboard.call.directory;

import static io.switchboard.call.directory.DirectoryFixtures.credentials;
import static io.switchboard.call.directory.DirectoryFixtures.did;
import static io.switchboard.call.directory.DirectoryFixtures.group;
import static io.switchboard.call.directory.DirectoryFixtures.officeHours;
import static io.switchboard.call.directory.DirectoryFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.switchboard.call.directory.Directory.Command;
import io.switchboard.call.directory.Directory.Event;
import io.switchboard.call.directory.Directory.State;
import io.switchboard.call.routing.Destination;
import io.switchboard.call.routing.RingStrategy;
import io.switchboard.config.SwitchboardConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;

/**
 * The Directory entity: for each command the reply and the exact events persisted. Every command,
 * event and state goes through its Protobuf codec and must come back equal; replies too
 * ({@code serialize-messages = on}).
 */
class DirectoryTest {
  private static final Config CONFIG = EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
      .withFallback(SwitchboardConfig.load());
  private static final String REALM = "acme.switchboard";
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private static final ActorTestKit testKit = ActorTestKit.create("DirectoryTest", CONFIG);

  private EventSourcedBehaviorTestKit<Command, Event, State> directory;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    directory = EventSourcedBehaviorTestKit.create(testKit.system(),
        Directory.create("acme", PersistenceId.of(Directory.ENTITY_KEY.name(), "acme")),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  // --- helpers: run a command, assert its reply and events ---

  /** Each command's reply-to is typed by its reply; these helpers see them all as one type. */
  @SuppressWarnings("unchecked")
  private static <T> ActorRef<T> ref(ActorRef<?> replyTo) {
    return (ActorRef<T>) replyTo;
  }

  @SuppressWarnings("unchecked")
  private <R> R succeeds(Function<ActorRef<StatusReply<Object>>, Command> command, Event... events) {
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<Object>> result =
        directory.runCommand(command);
    assertTrue(result.reply().isSuccess(), () -> "expected success, got " + result.reply());
    assertEquals(Arrays.asList(events), result.events());
    return (R) result.reply().getValue();
  }

  private void fails(Function<ActorRef<StatusReply<Object>>, Command> command, DirectoryError.Kind kind,
                     String message) {
    EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<Object>> result =
        directory.runCommand(command);
    assertTrue(result.reply().isError(), () -> "expected an error, got " + result.reply());
    assertEquals(new DirectoryError(kind, message), result.reply().getError());
    assertEquals(List.of(), result.events(), "a refused command persists nothing");
  }

  private Tenant createTenant(String countryCode) {
    Tenant tenant = new Tenant("acme", "Acme", REALM, countryCode, T0);
    assertEquals(tenant, succeeds(r -> new Directory.CreateTenant("Acme", Optional.empty(),
        Optional.of(countryCode), T0, ref(r)), new Directory.TenantCreated(tenant)));
    return tenant;
  }

  private void createUser(String id, String extension) {
    UserEntry user = user(id, extension);
    Optional<SipCredentials> creds = Optional.of(credentials(id, REALM));
    succeeds(r -> new Directory.CreateUser(user, creds, ref(r)), new Directory.UserCreated(user, creds));
  }

  private Destination resolve(String dialled, Instant at, Event... events) {
    return succeeds(r -> new Directory.Resolve(dialled, at, ref(r)), events);
  }

  // --- the tenant ---

  @Test
  void aTenantIsCreatedOnceAndARetryAnswersTheSame() {
    fails(r -> new Directory.GetDirectory(ref(r)), DirectoryError.Kind.NOT_FOUND, "tenant acme does not exist");
    Tenant tenant = createTenant("49");
    assertEquals(tenant, succeeds(r -> new Directory.CreateTenant("Acme", Optional.of(REALM), Optional.of("49"),
        T0.plusSeconds(5), ref(r))), "a retried create answers the tenant and persists nothing");
    fails(r -> new Directory.CreateTenant("Other name", Optional.empty(), Optional.of("49"), T0, ref(r)),
        DirectoryError.Kind.CONFLICT, "tenant acme already exists");
  }

  @Test
  void invalidTenantValuesAreRefusedNamingTheField() {
    fails(r -> new Directory.CreateTenant(" ", Optional.empty(), Optional.empty(), T0, ref(r)),
        DirectoryError.Kind.INVALID, "name: must be 1 to 100 characters");
    fails(r -> new Directory.CreateTenant("Acme", Optional.of("bad realm"), Optional.empty(), T0, ref(r)),
        DirectoryError.Kind.INVALID, "sipRealm: must be a domain name such as acme.switchboard");
    fails(r -> new Directory.CreateTenant("Acme", Optional.empty(), Optional.of("0049"), T0, ref(r)),
        DirectoryError.Kind.INVALID, "countryCode: must be an E.164 country calling code of 1 to 3 digits, such as 49");
  }

  @Test
  void aDeletedTenantAnswersNotFoundToEverythingForever() {
    createTenant("49");
    createUser("u1", "201");
    succeeds(r -> new Directory.DeleteTenant(T0.plusSeconds(60), ref(r)), new Directory.TenantDeleted(T0.plusSeconds(60)));
    String gone = "tenant acme does not exist";
    fails(r -> new Directory.GetDirectory(ref(r)), DirectoryError.Kind.NOT_FOUND, gone);
    fails(r -> new Directory.Resolve("201", T0, ref(r)), DirectoryError.Kind.NOT_FOUND, gone);
    fails(r -> new Directory.GetSipCredentials("u1", ref(r)), DirectoryError.Kind.NOT_FOUND, gone);
    fails(r -> new Directory.CreateTenant("Acme", Optional.empty(), Optional.of("49"), T0, ref(r)),
        DirectoryError.Kind.NOT_FOUND, gone);
    fails(r -> new Directory.DeleteTenant(T0, ref(r)), DirectoryError.Kind.NOT_FOUND, gone);
    directory.restart();
    fails(r -> new Directory.GetDirectory(ref(r)), DirectoryError.Kind.NOT_FOUND, gone);
  }

  // --- users ---

  @Test
  void usersAreCreatedUpdatedAndListedWithoutCredentials() {
    createTenant("49");
    createUser("u1", "201");
    UserEntry renamed = new UserEntry("u1", "Alice", "202", Optional.empty(), "u1");
    UserView view = succeeds(r -> new Directory.UpdateUser(renamed, Optional.empty(), ref(r)),
        new Directory.UserUpdated(renamed, Optional.empty()));
    assertEquals(new UserView(renamed, UserView.SipPasswordState.CURRENT), view, "the password is kept");
    succeeds(r -> new Directory.UpdateUser(renamed, Optional.empty(), ref(r))); // unchanged: no event

    DirectoryView all = succeeds(r -> new Directory.GetDirectory(ref(r)));
    assertEquals(List.of(new UserView(renamed, UserView.SipPasswordState.CURRENT)), all.users());

    fails(r -> new Directory.UpdateUser(user("u9", "209"), Optional.empty(), ref(r)), DirectoryError.Kind.NOT_FOUND,
        "user u9 does not exist");
    succeeds(r -> new Directory.DeleteUser("u1", ref(r)), new Directory.UserDeleted("u1"));
    fails(r -> new Directory.DeleteUser("u1", ref(r)), DirectoryError.Kind.NOT_FOUND, "user u1 does not exist");
  }

  @Test
  void aRetriedCreateIsIdempotentAndADifferentOneConflicts() {
    createTenant("49");
    createUser("u1", "201");
    Optional<SipCredentials> creds = Optional.of(credentials("u1", REALM));
    succeeds(r -> new Directory.CreateUser(user("u1", "201"), creds, ref(r)));
    fails(r -> new Directory.CreateUser(user("u1", "299"), creds, ref(r)), DirectoryError.Kind.CONFLICT,
        "user u1 already exists");
  }

  @Test
  void userValidationNamesTheFieldAndPersistsNothing() {
    createTenant("49");
    createUser("u1", "201");
    fails(r -> new Directory.CreateUser(user("u2", "201"), Optional.empty(), ref(r)), DirectoryError.Kind.CONFLICT,
        "extension: 201 is already used by user u1");
    fails(r -> new Directory.CreateUser(user("u2", "2"), Optional.empty(), ref(r)), DirectoryError.Kind.INVALID,
        "extension: must be 2 to 8 digits");
    fails(r -> new Directory.CreateUser(new UserEntry("u2", "Bob", "202", Optional.of("bob"), "bob"),
        Optional.empty(), ref(r)), DirectoryError.Kind.INVALID, "email: must be an e-mail address");
    fails(r -> new Directory.CreateUser(new UserEntry("u2", "Bob", "202", Optional.empty(), "U1"),
        Optional.empty(), ref(r)), DirectoryError.Kind.CONFLICT, "sipUsername: U1 is already used by user u1");
    fails(r -> new Directory.CreateUser(new UserEntry("u2", "Bob", "202", Optional.empty(), "bob smith"),
        Optional.empty(), ref(r)), DirectoryError.Kind.INVALID, "sipUsername: must be 1 to 64 letters, digits or . _ ~ -");
    fails(r -> new Directory.CreateUser(user("u2", "202"), Optional.of(credentials("u2", "old.realm")), ref(r)),
        DirectoryError.Kind.CONFLICT,
        "sipPassword: was hashed for u2@old.realm but the user is u2@acme.switchboard now; send it again");
    succeeds(r -> new Directory.CreateRingGroup(group("g1", "300", RingStrategy.RING_ALL, "u1"), ref(r)),
        new Directory.RingGroupCreated(group("g1", "300", RingStrategy.RING_ALL, "u1")));
    fails(r -> new Directory.CreateUser(user("u2", "300"), Optional.empty(), ref(r)), DirectoryError.Kind.CONFLICT,
        "extension: 300 is already used by ring group g1");
  }

  // --- SIP credentials and the realm ---

  @Test
  void digestCredentialsAreServedForTheCurrentRealmAndGoStaleWhenItChanges() {
    createTenant("49");
    createUser("u1", "201");
    SipCredentials stored = credentials("u1", REALM);
    assertEquals(new DigestCredentials("u1", "u1", REALM, stored.ha1Md5(), stored.ha1Sha256(),
        "201", "User u1"),
        succeeds(r -> new Directory.GetSipCredentials("u1", ref(r))));
    fails(r -> new Directory.GetSipCredentials("nobody", ref(r)), DirectoryError.Kind.NOT_FOUND,
        "no user has the SIP username nobody");

    succeeds(r -> new Directory.UpdateTenant("Acme", "sip.acme.example", "49", ref(r)),
        new Directory.TenantUpdated("Acme", "sip.acme.example", "49"));
    fails(r -> new Directory.GetSipCredentials("u1", ref(r)), DirectoryError.Kind.CONFLICT,
        "the SIP password of user u1 was set for u1@acme.switchboard, not u1@sip.acme.example: set it again");
    DirectoryView view = succeeds(r -> new Directory.GetDirectory(ref(r)));
    assertEquals(UserView.SipPasswordState.STALE, view.users().get(0).sipPassword());

    Optional<SipCredentials> fresh = Optional.of(credentials("u1", "sip.acme.example"));
    UserView updated = succeeds(r -> new Directory.UpdateUser(user("u1", "201"), fresh, ref(r)),
        new Directory.UserUpdated(user("u1", "201"), fresh));
    assertEquals(UserView.SipPasswordState.CURRENT, updated.sipPassword());
    assertEquals("sip.acme.example", this.<DigestCredentials>succeeds(
        r -> new Directory.GetSipCredentials("u1", ref(r))).realm());
  }

  @Test
  void aUserWithoutPasswordHasNoDigestCredentials() {
    createTenant("49");
    UserEntry bob = user("u2", "202");
    assertEquals(UserView.SipPasswordState.NOT_SET, this.<UserView>succeeds(
        r -> new Directory.CreateUser(bob, Optional.empty(), ref(r)), new Directory.UserCreated(bob, Optional.empty()))
        .sipPassword());
    fails(r -> new Directory.GetSipCredentials("u2", ref(r)), DirectoryError.Kind.NOT_FOUND,
        "user u2 has no SIP password");
  }

  // --- ring groups and references ---

  @Test
  void ringGroupMembersMustExistAndAMemberCannotBeDeleted() {
    createTenant("49");
    createUser("u1", "201");
    fails(r -> new Directory.CreateRingGroup(group("g1", "300", RingStrategy.RING_ALL, "u1", "u9"), ref(r)),
        DirectoryError.Kind.INVALID, "members: user u9 does not exist");
    fails(r -> new Directory.CreateRingGroup(group("g1", "300", RingStrategy.RING_ALL, "u1", "u1"), ref(r)),
        DirectoryError.Kind.INVALID, "members: user u1 is listed twice");
    fails(r -> new Directory.CreateRingGroup(group("g1", "300", RingStrategy.RING_ALL), ref(r)),
        DirectoryError.Kind.INVALID, "members: must name 1 to 100 users");
    fails(r -> new Directory.CreateRingGroup(new RingGroup("g1", "Sales", "300", RingStrategy.RING_ALL,
        List.of("u1"), Duration.ofSeconds(1)), ref(r)), DirectoryError.Kind.INVALID, "memberTimeoutSeconds: must be 5 to 300");
    fails(r -> new Directory.CreateRingGroup(group("g1", "201", RingStrategy.RING_ALL, "u1"), ref(r)),
        DirectoryError.Kind.CONFLICT, "extension: 201 is already used by user u1");

    succeeds(r -> new Directory.CreateRingGroup(group("g1", "300", RingStrategy.RING_ALL, "u1"), ref(r)),
        new Directory.RingGroupCreated(group("g1", "300", RingStrategy.RING_ALL, "u1")));
    fails(r -> new Directory.DeleteUser("u1", ref(r)), DirectoryError.Kind.CONFLICT,
        "user u1 is a member of ring group g1 (Group g1); remove them from it first");
    succeeds(r -> new Directory.DeleteRingGroup("g1", ref(r)), new Directory.RingGroupDeleted("g1"));
    succeeds(r -> new Directory.DeleteUser("u1", ref(r)), new Directory.UserDeleted("u1"));
  }

  @Test
  void roundRobinRotatesOnePerCallAndTheRotationSurvivesARestart() {
    createTenant("49");
    createUser("u1", "201");
    createUser("u2", "202");
    createUser("u3", "203");
    RingGroup rr = group("g1", "300", RingStrategy.ROUND_ROBIN, "u1", "u2", "u3");
    succeeds(r -> new Directory.CreateRingGroup(rr, ref(r)), new Directory.RingGroupCreated(rr));

    assertEquals(List.of("u1", "u2", "u3"), members(resolve("300", T0, new Directory.RingGroupRotated("g1", 1))));
    assertEquals(List.of("u2", "u3", "u1"), members(resolve("300", T0, new Directory.RingGroupRotated("g1", 2))));
    directory.restart(); // a failover: the entity recovers from its events
    assertEquals(List.of("u3", "u1", "u2"), members(resolve("300", T0, new Directory.RingGroupRotated("g1", 0))));
    assertEquals(List.of("u1", "u2", "u3"), members(resolve("300", T0, new Directory.RingGroupRotated("g1", 1))));

    RingGroup sequential = group("g2", "301", RingStrategy.SEQUENTIAL, "u3", "u1");
    succeeds(r -> new Directory.CreateRingGroup(sequential, ref(r)), new Directory.RingGroupCreated(sequential));
    Destination.ToRingGroup seq = (Destination.ToRingGroup) resolve("301", T0); // no rotation, no event
    assertEquals(new Destination.ToRingGroup("g2", "Group g2", RingStrategy.SEQUENTIAL,
        List.of(new Destination.ToUser("u3", "203"), new Destination.ToUser("u1", "201")), Duration.ofSeconds(20)), seq);
  }

  private static List<String> members(Destination destination) {
    return ((Destination.ToRingGroup) destination).members().stream().map(Destination.ToUser::userId).toList();
  }

  // --- numbers and routing ---

  @Test
  void dialledStringsResolveToUsersGroupsNumbersOrOutsideNumbers() {
    createTenant("49");
    createUser("u1", "201");
    succeeds(r -> new Directory.CreateRingGroup(group("g1", "300", RingStrategy.RING_ALL, "u1"), ref(r)),
        new Directory.RingGroupCreated(group("g1", "300", RingStrategy.RING_ALL, "u1")));
    Did main = did("+4930123456", new NumberTarget.ToExtension("300"));
    Did support = did("+4930123457", new NumberTarget.ToQueue("support"));
    Did menu = did("+4930123458", new NumberTarget.ToIvr("main-menu"));
    succeeds(r -> new Directory.CreateDid(main, ref(r)), new Directory.DidCreated(main));
    succeeds(r -> new Directory.CreateDid(support, ref(r)), new Directory.DidCreated(support));
    succeeds(r -> new Directory.CreateDid(menu, ref(r)), new Directory.DidCreated(menu));

    assertEquals(new Destination.ToUser("u1", "201"), resolve("201", T0));
    Destination.ToRingGroup sales = new Destination.ToRingGroup("g1", "Group g1", RingStrategy.RING_ALL,
        List.of(new Destination.ToUser("u1", "201")), Duration.ofSeconds(20));
    assertEquals(sales, resolve("300", T0));
    assertEquals(sales, resolve("+4930123456", T0), "E.164");
    assertEquals(sales, resolve("030 123456", T0), "national with trunk prefix");
    assertEquals(sales, resolve("004930123456", T0), "international prefix");
    assertEquals(sales, resolve("4930123456", T0), "E.164 without the plus sign, as trunks send it");
    assertEquals(new Destination.ToQueue("support"), resolve("+4930123457", T0));
    assertEquals(new Destination.ToIvr("main-menu"), resolve("+4930123458", T0));
    assertEquals(new Destination.ToExternal("+442071234567"), resolve("00442071234567", T0));
    assertEquals(new Destination.ToExternal("+498912345678"), resolve("089 12345678", T0));
    assertEquals(new Destination.NotFound("299"), resolve("299", T0));
    assertEquals(new Destination.NotFound("alice"), resolve("alice", T0));
  }

  @Test
  void numberTargetsMustExistAndATargetCannotBeDeleted() {
    createTenant("49");
    createUser("u1", "201");
    fails(r -> new Directory.CreateDid(did("030123456", new NumberTarget.ToExtension("201")), ref(r)),
        DirectoryError.Kind.INVALID, "number: must be E.164 with the plus sign, such as +4930123456");
    fails(r -> new Directory.CreateDid(did("+4930123456", new NumberTarget.ToExtension("299")), ref(r)),
        DirectoryError.Kind.INVALID, "target.extension: no user or ring group has extension 299");
    fails(r -> new Directory.CreateDid(did("+4930123456", new NumberTarget.ToRingGroup("g9")), ref(r)),
        DirectoryError.Kind.INVALID, "target.ringGroupId: ring group g9 does not exist");
    fails(r -> new Directory.CreateDid(new Did("+4930123456", new NumberTarget.ToExtension("201"),
            Optional.of("bh9"), Optional.of(new NumberTarget.ToIvr("closed"))), ref(r)),
        DirectoryError.Kind.INVALID, "calendarId: business hours bh9 do not exist");

    Did main = did("+4930123456", new NumberTarget.ToExtension("201"));
    succeeds(r -> new Directory.CreateDid(main, ref(r)), new Directory.DidCreated(main));
    fails(r -> new Directory.CreateDid(did("+4930123456", new NumberTarget.ToQueue("q")), ref(r)),
        DirectoryError.Kind.CONFLICT, "number +4930123456 already exists");
    fails(r -> new Directory.DeleteUser("u1", ref(r)), DirectoryError.Kind.CONFLICT,
        "user u1 is the target of number +4930123456; point the number elsewhere first");
    fails(r -> new Directory.UpdateUser(user("u1", "209"), Optional.empty(), ref(r)), DirectoryError.Kind.CONFLICT,
        "extension: user u1 (201) is the target of number +4930123456; point the number elsewhere first");
    succeeds(r -> new Directory.DeleteDid("+4930123456", ref(r)), new Directory.DidDeleted("+4930123456"));
    succeeds(r -> new Directory.DeleteUser("u1", ref(r)), new Directory.UserDeleted("u1"));
  }

  // --- business hours ---

  @Test
  void businessHoursChooseTheClosedTargetOutsideHoursAndOnHolidays() {
    createTenant("49");
    createUser("u1", "201");
    BusinessHours berlin = officeHours("bh1", ZoneId.of("Europe/Berlin"), LocalDate.parse("2026-12-25"));
    succeeds(r -> new Directory.CreateBusinessHours(berlin, ref(r)), new Directory.BusinessHoursCreated(berlin));
    Did main = new Did("+4930123456", new NumberTarget.ToExtension("201"), Optional.of("bh1"),
        Optional.of(new NumberTarget.ToIvr("night")));
    succeeds(r -> new Directory.CreateDid(main, ref(r)), new Directory.DidCreated(main));

    // Thursday 2026-12-24, CET = UTC+1.
    assertEquals(new Destination.ToUser("u1", "201"), resolve("+4930123456", Instant.parse("2026-12-24T08:00:00Z")),
        "09:00 local: open");
    assertEquals(new Destination.ToIvr("night"), resolve("+4930123456", Instant.parse("2026-12-24T07:59:59Z")),
        "08:59:59 local: closed");
    assertEquals(new Destination.ToIvr("night"), resolve("+4930123456", Instant.parse("2026-12-24T16:00:00Z")),
        "17:00 local: closed");
    assertEquals(new Destination.ToIvr("night"), resolve("+4930123456", Instant.parse("2026-12-25T10:00:00Z")),
        "a Friday that is a holiday");
    assertEquals(new Destination.ToIvr("night"), resolve("+4930123456", Instant.parse("2026-12-26T10:00:00Z")),
        "Saturday");

    fails(r -> new Directory.DeleteBusinessHours("bh1", ref(r)), DirectoryError.Kind.CONFLICT,
        "business hours bh1 are used by number +4930123456; remove them from it first");
  }

  @Test
  void businessHoursFollowTheLocalClockAcrossDaylightSavingTime() {
    createTenant("1");
    createUser("u1", "201");
    BusinessHours newYork = officeHours("ny", ZoneId.of("America/New_York"));
    succeeds(r -> new Directory.CreateBusinessHours(newYork, ref(r)), new Directory.BusinessHoursCreated(newYork));
    Did main = new Did("+12125550100", new NumberTarget.ToExtension("201"), Optional.of("ny"),
        Optional.of(new NumberTarget.ToQueue("after-hours")));
    succeeds(r -> new Directory.CreateDid(main, ref(r)), new Directory.DidCreated(main));

    // DST starts Sunday 2026-03-08: 13:30 UTC is 08:30 EST on Friday the 6th, 09:30 EDT on Monday the 9th.
    Instant fridayBeforeDst = Instant.parse("2026-03-06T13:30:00Z");
    Instant mondayAfterDst = Instant.parse("2026-03-09T13:30:00Z");
    assertEquals(new Destination.ToQueue("after-hours"), resolve("212 555 0100", fridayBeforeDst));
    assertEquals(new Destination.ToUser("u1", "201"), resolve("(212) 555-0100", mondayAfterDst));
    assertEquals(new Destination.ToUser("u1", "201"), resolve("+12125550100", Instant.parse("2026-03-06T14:30:00Z")),
        "09:30 EST");
  }

  @Test
  void calendarRangesMustBeValid() {
    createTenant("49");
    BusinessHours backwards = BusinessHours.of("bh1", "Bad", ZoneId.of("UTC"),
        java.util.Map.of(java.time.DayOfWeek.MONDAY, List.of(new BusinessHours.OpenRange(
            java.time.LocalTime.of(17, 0), java.time.LocalTime.of(9, 0)))), Set.of());
    fails(r -> new Directory.CreateBusinessHours(backwards, ref(r)), DirectoryError.Kind.INVALID,
        "weekly.monday: 17:00-09:00 closes before it opens");
    BusinessHours overlapping = BusinessHours.of("bh1", "Bad", ZoneId.of("UTC"),
        java.util.Map.of(java.time.DayOfWeek.MONDAY, List.of(
            new BusinessHours.OpenRange(java.time.LocalTime.of(9, 0), java.time.LocalTime.of(12, 0)),
            new BusinessHours.OpenRange(java.time.LocalTime.of(11, 0), java.time.LocalTime.MIDNIGHT))), Set.of());
    fails(r -> new Directory.CreateBusinessHours(overlapping, ref(r)), DirectoryError.Kind.INVALID,
        "weekly.monday: 09:00-12:00 overlaps 11:00-00:00");
  }

  @Test
  void errorRepliesCrossTheClusterWithTheirKind() throws Exception {
    org.apache.pekko.serialization.Serialization serialization =
        org.apache.pekko.serialization.SerializationExtension.get(testKit.system());
    StatusReply<Object> reply = StatusReply.error(DirectoryError.conflict("extension: 201 is already used by user u1"));
    byte[] bytes = serialization.serialize(reply).get();
    org.apache.pekko.serialization.Serializer serializer = serialization.findSerializerFor(reply);
    Object back = serialization.deserialize(bytes, serializer.identifier(),
        org.apache.pekko.serialization.Serializers.manifestFor(serializer, reply)).get();
    assertEquals(reply.getError(), ((StatusReply<?>) back).getError(), "the kind survives, so the edge maps it to 409");
  }

  // --- exhaustiveness (STYLE 12) ---

  @Test
  void everyCommandAndEventHasACodec() {
    io.switchboard.persistence.serialization.ProtoCodecs codecs =
        io.switchboard.persistence.serialization.ProtoCodecs.load(getClass().getClassLoader());
    Set<Class<?>> missing = java.util.stream.Stream.of(Command.class, Event.class)
        .flatMap(c -> Arrays.stream(c.getPermittedSubclasses()))
        .filter(c -> codecs.forType(c).isEmpty())
        .collect(Collectors.toSet());
    assertEquals(Set.of(), missing);
  }

}
