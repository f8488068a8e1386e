package io.switchboard.call.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.switchboard.call.HangupCause;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.config.SwitchboardConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The User entity, command by command: the reply and the exact events persisted. Every command,
 * event, reply and the state go through Protobuf (the testkit's serialization checks plus
 * {@code serialize-messages}), and equality after the round trip is checked.
 */
class UserEntityTest {
  private static final ActorTestKit kit = ActorTestKit.create("UserEntityTest", ConfigFactory.parseString(
          "pekko.actor.serialize-messages = on")
      .withFallback(EventSourcedBehaviorTestKit.config())
      .withFallback(SwitchboardConfig.load()));
  private static final AtomicInteger tenants = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final UserSettings SETTINGS = new UserSettings(3, Duration.ofSeconds(30), Duration.ofHours(4), 100);
  private static final ActorRef<LegCommand> EDGE = kit.<LegCommand>createTestProbe().ref();

  private MutableClock clock;
  private String tenant;
  private EventSourcedBehaviorTestKit<User.Command, User.Event, User.State> user;

  @BeforeEach
  void freshUser() {
    clock = new MutableClock(T0);
    // A tenant per test: every test has its own journal, so no test sees another's events.
    tenant = "t" + tenants.incrementAndGet();
    user = EventSourcedBehaviorTestKit.create(kit.system(), User.create(tenant, "alice", SETTINGS, clock),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  // --- registrations ---

  @Test
  void registeringAddsADeviceAndAnswersTheLiveRegistrations() {
    Contact desk = device("desk", 3600);
    var result = registrations(r -> new User.Register(desk, r));
    assertEquals(new User.Registrations(List.of(desk)), value(result));
    assertEquals(List.of(new User.Registered(desk)), result.events());
  }

  @Test
  void refreshingReplacesTheDeviceInItsPlaceAndAnIdenticalRefreshPersistsNothing() {
    register(device("desk", 3600));
    Contact mobile = register(device("mobile", 3600));
    Contact movedDesk = new Contact("sip:alice@10.0.0.9:5060", "desk", EDGE, T0.plusSeconds(7200));

    var refreshed = registrations(r -> new User.Register(movedDesk, r));
    assertEquals(new User.Registrations(List.of(movedDesk, mobile)), value(refreshed), "keeps the ringing order");
    assertEquals(List.of(new User.Registered(movedDesk)), refreshed.events());

    var again = registrations(r -> new User.Register(movedDesk, r));
    assertEquals(new User.Registrations(List.of(movedDesk, mobile)), value(again));
    assertTrue(again.hasNoEvents());
  }

  @Test
  void unregisteringRemovesOneDeviceAndAnUnknownOneChangesNothing() {
    register(device("desk", 3600));
    Contact mobile = register(device("mobile", 3600));

    var removed = registrations(r -> new User.Unregister("desk", r));
    assertEquals(new User.Registrations(List.of(mobile)), value(removed));
    assertEquals(List.of(new User.Unregistered("desk")), removed.events());

    var unknown = registrations(r -> new User.Unregister("desk", r));
    assertEquals(new User.Registrations(List.of(mobile)), value(unknown));
    assertTrue(unknown.hasNoEvents());
  }

  @Test
  void unregisteringAllRemovesEveryDeviceOnce() {
    register(device("desk", 3600));
    register(device("mobile", 3600));

    var all = registrations(User.UnregisterAll::new);
    assertEquals(new User.Registrations(List.of()), value(all));
    assertEquals(List.of(new User.AllUnregistered()), all.events());

    var again = registrations(User.UnregisterAll::new);
    assertEquals(new User.Registrations(List.of()), value(again));
    assertTrue(again.hasNoEvents());
  }

  @Test
  void aRegistrationThatIsAlreadyOverOrHasNoDeviceIdIsRefusedAndPersistsNothing() {
    var past = registrations(r -> new User.Register(device("desk", -1), r));
    assertTrue(past.reply().isError());
    assertTrue(past.hasNoEvents());

    var now = registrations(r -> new User.Register(device("desk", 0), r));
    assertTrue(now.reply().isError(), "expiring now is not in the future");

    var anonymous = registrations(r -> new User.Register(new Contact("sip:alice@h", " ", EDGE, T0.plusSeconds(60)), r));
    assertTrue(anonymous.reply().isError());
    assertTrue(anonymous.hasNoEvents());
    assertEquals(User.State.INITIAL, user.getState());
  }

  @Test
  void aLapsedRegistrationIsNeverOfferedAndIsPrunedWithAnEvent() {
    Contact desk = register(device("desk", 60));
    Contact mobile = register(device("mobile", 3600));
    clock.advance(Duration.ofSeconds(60)); // expiresAt is exclusive: lapsed at that very instant

    var listed = registrations(User.GetRegistrations::new);
    assertEquals(new User.Registrations(List.of(mobile)), value(listed));
    assertTrue(listed.hasNoEvents(), "queries filter by the clock and persist nothing");
    assertEquals(List.of(desk, mobile), user.getState().contacts(), "still in the state until pruned");

    var pruned = user.runCommand(User.PruneLapsed.INSTANCE);
    assertEquals(List.of(new User.RegistrationsLapsed(List.of("desk"))), pruned.events());
    assertEquals(List.of(mobile), pruned.state().contacts());
    assertTrue(user.runCommand(User.PruneLapsed.INSTANCE).hasNoEvents(), "nothing left to prune");
  }

  @Test
  void theTimerPrunesWhileTheEntityIsAlive() {
    register(device("desk", 1)); // the timer is armed for one second from now
    clock.advance(Duration.ofSeconds(5));
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(new User.RegistrationsLapsed(List.of("desk")), lastStored());
      return null;
    });
  }

  @Test
  void whatLapsedWhileTheEntitySleptIsPrunedOnRecovery() {
    register(device("desk", 60));
    Contact mobile = register(device("mobile", 3600));
    clock.advance(Duration.ofMinutes(10));
    user.restart();
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(new User.RegistrationsLapsed(List.of("desk")), lastStored());
      return null;
    });
    assertEquals(List.of(mobile), user.getState().contacts());
  }

  @Test
  void aNewDeviceBeyondTheLimitIsRefusedButRefreshingAndReplacingALapsedOneAreNot() {
    Contact first = register(device("d1", 60));
    register(device("d2", 3600));
    register(device("d3", 3600));

    var refused = registrations(r -> new User.Register(device("d4", 3600), r));
    assertTrue(refused.reply().isError());
    assertTrue(refused.reply().getError().getMessage().contains("device limit reached: 3"),
        refused.reply().getError().getMessage());
    assertTrue(refused.hasNoEvents());

    Contact refreshedFirst = device("d1", 120);
    assertEquals(List.of(new User.Registered(refreshedFirst)),
        registrations(r -> new User.Register(refreshedFirst, r)).events(), "refreshing a registered device is allowed");

    clock.advance(Duration.ofSeconds(120)); // d1 lapses: its place is free
    Contact fourth = device("d4", 3600);
    var admitted = registrations(r -> new User.Register(fourth, r));
    assertTrue(admitted.reply().isSuccess());
    assertEquals(List.of(new User.RegistrationsLapsed(List.of("d1")), new User.Registered(fourth)),
        admitted.events());
    assertEquals(3, value(admitted).contacts().size());
    assertTrue(!value(admitted).contacts().contains(first));
  }

  // --- presence ---

  @Test
  void presenceIsOfflineWithoutADeviceBusyOnACallAndDoNotDisturbAboveBusy() {
    assertEquals(new User.PresenceInfo(Presence.OFFLINE, Presence.AVAILABLE), value(presence(User.GetPresence::new)));
    register(device("desk", 86_400));
    assertEquals(new User.PresenceInfo(Presence.AVAILABLE, Presence.AVAILABLE), value(presence(User.GetPresence::new)));

    var away = presence(r -> new User.SetPresence(Presence.AWAY, r));
    assertEquals(new User.PresenceInfo(Presence.AWAY, Presence.AWAY), value(away));
    assertEquals(List.of(new User.PresenceSet(Presence.AWAY)), away.events());
    assertTrue(presence(r -> new User.SetPresence(Presence.AWAY, r))
        .hasNoEvents(), "setting the same presence persists nothing");

    callActivity("call-1", true);
    assertEquals(new User.PresenceInfo(Presence.BUSY, Presence.AWAY), value(presence(User.GetPresence::new)));

    var dnd = presence(r -> new User.SetPresence(Presence.DO_NOT_DISTURB, r));
    assertEquals(new User.PresenceInfo(Presence.DO_NOT_DISTURB, Presence.DO_NOT_DISTURB), value(dnd));

    clock.advance(Duration.ofHours(4)); // the call's "ended" was lost: it stops counting after the maximum
    presence(r -> new User.SetPresence(Presence.AVAILABLE, r));
    assertEquals(new User.PresenceInfo(Presence.AVAILABLE, Presence.AVAILABLE), value(presence(User.GetPresence::new)));
  }

  // --- active calls ---

  @Test
  void callActivityIsIdempotentPerCallIdAndALateConnectedAfterEndedIsIgnored() {
    var started = done(r -> new User.CallActivity("call-1", true, r));
    assertEquals(Done.getInstance(), value(started));
    assertEquals(List.of(new User.CallStarted("call-1", T0)), started.events());
    assertTrue(callActivity("call-1", true).hasNoEvents(), "a retried 'connected' counts once");

    var ended = callActivity("call-1", false);
    assertEquals(Done.getInstance(), value(ended));
    assertEquals(List.of(new User.CallEnded("call-1")), ended.events());
    assertTrue(callActivity("call-1", false).hasNoEvents());
    assertTrue(callActivity("call-1", true).hasNoEvents(), "a late 'connected' does not revive the call");
    assertTrue(callActivity("never-started", false).hasNoEvents());
    assertEquals(List.of(), user.getState().activeCalls());
  }

  @Test
  void aCallOlderThanTheMaximumDurationIsForgotten() {
    register(device("desk", 86_400));
    settings(r -> new User.SetCallWaiting(false, r));
    callActivity("call-1", true);
    assertEquals(new RingPlan.Reject("alice", HangupCause.BUSY), ringPlan("call-2"));

    clock.advance(Duration.ofHours(4));
    assertTrue(ringPlan("call-2") instanceof RingPlan.Ring, "a call whose end was lost stops making the user busy");
    var pruned = user.runCommand(User.PruneLapsed.INSTANCE);
    assertEquals(List.of(new User.StaleCallsForgotten(List.of("call-1"))), pruned.events());
    assertEquals(List.of(), pruned.state().activeCalls());
  }

  // --- ring plans ---

  @Test
  void forwardAlwaysWinsOverEverything() {
    register(device("desk", 3600));
    setForwarding(new Forwarding(Optional.of("2001"), Optional.of("2002"), Optional.empty(), Optional.empty()));
    assertEquals(new RingPlan.Forward("alice", "2001", RingPlan.ForwardReason.ALWAYS), ringPlan("call-1"));
  }

  @Test
  void doNotDisturbIsBusyForwardedWhenThereIsABusyRuleAndRejectedOtherwise() {
    register(device("desk", 3600));
    presence(r -> new User.SetPresence(Presence.DO_NOT_DISTURB, r));
    assertEquals(new RingPlan.Reject("alice", HangupCause.BUSY), ringPlan("call-1"));

    setForwarding(new Forwarding(Optional.empty(), Optional.of("voicemail"), Optional.empty(), Optional.empty()));
    assertEquals(new RingPlan.Forward("alice", "voicemail", RingPlan.ForwardReason.BUSY), ringPlan("call-1"));
  }

  @Test
  void onAnotherCallTheUserIsBusyOnlyWithoutCallWaitingAndARetryIsNotAnotherCall() {
    Contact desk = register(device("desk", 3600));
    callActivity("call-1", true);
    RingPlan ring = new RingPlan.Ring("alice", List.of(desk), RingPlan.RingMode.SIMULTANEOUS, Duration.ofSeconds(30),
        Optional.empty(), Optional.empty());
    assertEquals(ring, ringPlan("call-2"), "call waiting is on by default");

    var off = settings(r -> new User.SetCallWaiting(false, r));
    assertEquals(List.of(new User.CallWaitingSet(false)), off.events());
    assertEquals(new RingPlan.Reject("alice", HangupCause.BUSY), ringPlan("call-2"));
    assertEquals(ring, ringPlan("call-1"), "asked again for the call already active: not busy with itself");

    setForwarding(new Forwarding(Optional.empty(), Optional.of("2002"), Optional.empty(), Optional.empty()));
    assertEquals(new RingPlan.Forward("alice", "2002", RingPlan.ForwardReason.BUSY), ringPlan("call-2"));
  }

  @Test
  void withoutALiveDeviceOrExplicitlyOfflineTheUserIsUnreachable() {
    assertEquals(new RingPlan.Reject("alice", HangupCause.UNAVAILABLE), ringPlan("call-1"));
    setForwarding(new Forwarding(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("+4930123456")));
    assertEquals(new RingPlan.Forward("alice", "+4930123456", RingPlan.ForwardReason.UNREACHABLE), ringPlan("call-1"));

    register(device("desk", 60));
    clock.advance(Duration.ofSeconds(61));
    assertEquals(new RingPlan.Forward("alice", "+4930123456", RingPlan.ForwardReason.UNREACHABLE), ringPlan("call-1"),
        "a lapsed device does not make the user reachable");

    register(device("mobile", 3600));
    presence(r -> new User.SetPresence(Presence.OFFLINE, r));
    assertEquals(new RingPlan.Forward("alice", "+4930123456", RingPlan.ForwardReason.UNREACHABLE), ringPlan("call-1"));
  }

  @Test
  void ringingOffersLiveDevicesInRegistrationOrderWithTheForwardingRulesForTheCall() {
    Contact desk = register(device("desk", 3600));
    register(device("laptop", 30));
    Contact mobile = register(device("mobile", 3600));
    clock.advance(Duration.ofSeconds(30));

    assertEquals(new RingPlan.Ring("alice", List.of(desk, mobile), RingPlan.RingMode.SIMULTANEOUS,
        Duration.ofSeconds(30), Optional.empty(), Optional.empty()), ringPlan("call-1"));

    // Pruned first: the next persisted change re-arms the timer, which would prune it concurrently.
    user.runCommand(User.PruneLapsed.INSTANCE);
    setForwarding(new Forwarding(Optional.empty(), Optional.of("2002"),
        Optional.of(new Forwarding.NoAnswer("2003", Duration.ofSeconds(20))), Optional.empty()));
    assertEquals(new RingPlan.Ring("alice", List.of(desk, mobile), RingPlan.RingMode.SIMULTANEOUS,
        Duration.ofSeconds(20), Optional.of("2003"), Optional.of("2002")), ringPlan("call-1"));
  }

  @Test
  void sequentialRingingUsesTheUsersOwnRingingTimeUnlessANoAnswerRuleSetsOne() {
    Contact desk = register(device("desk", 3600));
    Contact mobile = register(device("mobile", 3600));
    var set = settings(r ->
        new User.SetRingMode(RingPlan.RingMode.SEQUENTIAL, Optional.of(Duration.ofSeconds(15)), r));
    assertEquals(List.of(new User.RingModeSet(RingPlan.RingMode.SEQUENTIAL, Optional.of(Duration.ofSeconds(15)))),
        set.events());
    assertEquals(Duration.ofSeconds(15), value(set).effectiveNoAnswerTimeout());
    assertEquals(new RingPlan.Ring("alice", List.of(desk, mobile), RingPlan.RingMode.SEQUENTIAL,
        Duration.ofSeconds(15), Optional.empty(), Optional.empty()), ringPlan("call-1"));

    setForwarding(new Forwarding(Optional.empty(), Optional.empty(),
        Optional.of(new Forwarding.NoAnswer("2003", Duration.ofSeconds(25))), Optional.empty()));
    assertEquals(new RingPlan.Ring("alice", List.of(desk, mobile), RingPlan.RingMode.SEQUENTIAL,
        Duration.ofSeconds(25), Optional.of("2003"), Optional.empty()), ringPlan("call-1"));
  }

  // --- settings ---

  @Test
  void updateSettingsChangesAllOrNothing() {
    Forwarding busy = new Forwarding(Optional.empty(), Optional.of("2002"), Optional.empty(), Optional.empty());
    var refused = settings(r -> new User.UpdateSettings(Optional.of(Presence.AWAY), Optional.of(false),
        Optional.empty(), Optional.empty(), Optional.of(new Forwarding(Optional.of("1001"), Optional.empty(),
            Optional.empty(), Optional.empty())), Set.of("1001"), r));
    assertTrue(refused.reply().isError(), "a rule pointing at the user's own extension");
    assertTrue(refused.hasNoEvents(), "and then nothing else changes either");

    var done = settings(r -> new User.UpdateSettings(Optional.of(Presence.AWAY), Optional.of(false),
        Optional.empty(), Optional.of(Duration.ofSeconds(12)), Optional.of(busy), Set.of("1001"), r));
    assertEquals(List.of(new User.PresenceSet(Presence.AWAY), new User.CallWaitingSet(false),
        new User.RingModeSet(RingPlan.RingMode.SIMULTANEOUS, Optional.of(Duration.ofSeconds(12))),
        new User.ForwardingSet(busy)), done.events());
    assertEquals(new User.Settings(Presence.AWAY, false, busy, RingPlan.RingMode.SIMULTANEOUS,
        Optional.of(Duration.ofSeconds(12)), Duration.ofSeconds(12)), value(done));
  }

  @Test
  void settingsStartWithDefaultsAndCommandsThatChangeNothingPersistNothing() {
    User.Settings defaults = new User.Settings(Presence.AVAILABLE, true, Forwarding.NONE,
        RingPlan.RingMode.SIMULTANEOUS, Optional.empty(), Duration.ofSeconds(30));
    assertEquals(defaults, value(settings(User.GetSettings::new)));

    assertTrue(settings(r -> new User.SetCallWaiting(true, r)).hasNoEvents());
    assertTrue(settings(r -> new User.SetForwarding(Forwarding.NONE, Set.of(), r))
        .hasNoEvents());
    Forwarding blank = new Forwarding(Optional.of(""), Optional.empty(), Optional.empty(), Optional.empty());
    assertEquals(Forwarding.NONE, blank, "an empty target is no rule, as on the wire");
    assertTrue(settings(r ->
        new User.SetRingMode(RingPlan.RingMode.SIMULTANEOUS, Optional.empty(), r)).hasNoEvents());

    Forwarding rules = new Forwarding(Optional.empty(), Optional.of("2002"),
        Optional.of(new Forwarding.NoAnswer("2003", Duration.ofSeconds(20))), Optional.of("+4930123456"));
    var set = settings(r -> new User.SetForwarding(rules, Set.of("1001"), r));
    assertEquals(List.of(new User.ForwardingSet(rules)), set.events());
    assertEquals(new User.Settings(Presence.AVAILABLE, true, rules, RingPlan.RingMode.SIMULTANEOUS,
        Optional.empty(), Duration.ofSeconds(20)), value(set));
    assertEquals(value(set), value(settings(User.GetSettings::new)));
  }

  @Test
  void invalidForwardingOrRingingTimeIsAnErrorAndPersistsNothing() {
    List<Forwarding> invalid = List.of(
        new Forwarding(Optional.empty(), Optional.empty(),
            Optional.of(new Forwarding.NoAnswer("2003", Duration.ofSeconds(4))), Optional.empty()),
        new Forwarding(Optional.empty(), Optional.empty(),
            Optional.of(new Forwarding.NoAnswer("2003", Duration.ofSeconds(301))), Optional.empty()),
        new Forwarding(Optional.of("alice"), Optional.empty(), Optional.empty(), Optional.empty()),
        new Forwarding(Optional.empty(), Optional.of("1001"), Optional.empty(), Optional.empty()),
        new Forwarding(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("not a number!")));
    for (Forwarding rules : invalid) {
      var result = settings(r -> new User.SetForwarding(rules, Set.of("1001"), r));
      assertTrue(result.reply().isError(), "refused: " + rules);
      assertTrue(result.hasNoEvents());
    }
    var tooLong = settings(r ->
        new User.SetRingMode(RingPlan.RingMode.SEQUENTIAL, Optional.of(Duration.ofMinutes(6)), r));
    assertTrue(tooLong.reply().isError());
    assertTrue(tooLong.hasNoEvents());
    assertEquals(User.State.INITIAL, user.getState());
  }

  // --- helpers ---

  private CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<User.Registrations>> registrations(
      Function<ActorRef<StatusReply<User.Registrations>>, User.Command> command) {
    return user.runCommand(command);
  }

  private CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<User.PresenceInfo>> presence(
      Function<ActorRef<StatusReply<User.PresenceInfo>>, User.Command> command) {
    return user.runCommand(command);
  }

  private CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<User.Settings>> settings(
      Function<ActorRef<StatusReply<User.Settings>>, User.Command> command) {
    return user.runCommand(command);
  }

  private CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<Done>> done(
      Function<ActorRef<StatusReply<Done>>, User.Command> command) {
    return user.runCommand(command);
  }

  private CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<RingPlan>> plan(
      Function<ActorRef<StatusReply<RingPlan>>, User.Command> command) {
    return user.runCommand(command);
  }

  private static <R> R value(CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<R>> result) {
    assertTrue(result.reply().isSuccess(), () -> "expected success, got " + result.reply());
    return result.reply().getValue();
  }

  /** A device of alice's whose registration lapses {@code seconds} after T0. */
  private static Contact device(String deviceId, long seconds) {
    return new Contact("sip:alice@" + deviceId + ".example:5060", deviceId, EDGE, T0.plusSeconds(seconds));
  }

  private Contact register(Contact contact) {
    value(registrations(r -> new User.Register(contact, r)));
    return contact;
  }

  private CommandResultWithReply<User.Command, User.Event, User.State, StatusReply<Done>> callActivity(
      String callId, boolean active) {
    return done(r -> new User.CallActivity(callId, active, r));
  }

  private void setForwarding(Forwarding rules) {
    value(settings(r -> new User.SetForwarding(rules, Set.of(), r)));
  }

  private RingPlan ringPlan(String callId) {
    var result = plan(r -> new User.GetRingPlan(callId, r));
    assertTrue(result.hasNoEvents(), "a ring plan is a query");
    return value(result);
  }

  private Object lastStored() {
    List<Object> stored = user.persistenceTestKit().persistedInStorage(persistenceId());
    return stored.get(stored.size() - 1);
  }

  private String persistenceId() {
    return "User|" + User.entityId(tenant, "alice");
  }
}
