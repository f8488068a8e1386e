package io.switchboard.call.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.persistence.cassandra.CassandraSchema;
import io.switchboard.persistence.testkit.TestNodeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/**
 * The User entity on a real Cassandra: its state, snapshot included, survives a restart of the
 * ActorSystem.
 */
class UserPersistenceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  // A snapshot every 3 events, so that recovery reads a snapshot and the events after it.
  private static final UserSettings SETTINGS = new UserSettings(10, Duration.ofSeconds(30), Duration.ofHours(4), 3);

  @Test
  void stateAndSnapshotAreRecoveredFromCassandraByANewActorSystem() throws Exception {
    String tenant = "tenant-" + UUID.randomUUID();
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    Forwarding rules = new Forwarding(Optional.empty(), Optional.of("voicemail"),
        Optional.of(new Forwarding.NoAnswer("2003", Duration.ofSeconds(20))), Optional.of("+4930123456"));

    User.Registrations registered;
    User.Settings settings;
    ActorTestKit first = ActorTestKit.create("UserFirst", TestNodeConfig.node(0));
    try {
      TestNodeConfig.ensureSchema(first.system());
      ActorRef<User.Command> user = first.spawn(User.create(tenant, "alice", SETTINGS, clock));
      ActorRef<LegCommand> edge = first.<LegCommand>createTestProbe().ref();
      Instant expires = clock.instant().plus(Duration.ofDays(1));
      ask(first, user, (ActorRef<StatusReply<User.Registrations>> r) ->
          new User.Register(new Contact("sip:alice@desk:5060", "desk", edge, expires), r));
      registered = ask(first, user, (ActorRef<StatusReply<User.Registrations>> r) ->
          new User.Register(new Contact("sip:alice@mobile:5060", "mobile", edge, expires), r));
      // the third event: a snapshot
      ask(first, user, (ActorRef<StatusReply<User.PresenceInfo>> r) -> new User.SetPresence(Presence.AWAY, r));
      ask(first, user, (ActorRef<StatusReply<User.Settings>> r) ->
          new User.SetRingMode(RingPlan.RingMode.SEQUENTIAL, Optional.of(Duration.ofSeconds(15)), r));
      settings = ask(first, user, (ActorRef<StatusReply<User.Settings>> r) ->
          new User.SetForwarding(rules, Set.of("1001"), r));
      ask(first, user, (ActorRef<StatusReply<Done>> r) -> new User.CallActivity("call-1", true, r));

      String pid = "User|" + User.entityId(tenant, "alice");
      String table = TestNodeConfig.cassandraSettings().snapshotKeyspace() + ".snapshots";
      first.createTestProbe().awaitAssert(TIMEOUT, () -> {
        var rows = join(CassandraSchema.session(first.system())
            .selectAll("SELECT ser_manifest FROM " + table + " WHERE persistence_id = ?", pid));
        assertTrue(rows.stream().anyMatch(row -> "user.State".equals(row.getString("ser_manifest"))),
            "a snapshot of the user's state is stored");
        return null;
      });
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("UserSecond", TestNodeConfig.node(0));
    try {
      ActorRef<User.Command> user = second.spawn(User.create(tenant, "alice", SETTINGS, clock));
      assertEquals(settings, ask(second, user, User.GetSettings::new));
      assertEquals(new User.PresenceInfo(Presence.BUSY, Presence.AWAY), ask(second, user, User.GetPresence::new),
          "the active call and the explicit presence were recovered");
      User.Registrations recovered = ask(second, user, User.GetRegistrations::new);
      // The edge reference is compared by path: it now points at the first system from outside.
      assertEquals(registered.contacts().stream().map(UserPersistenceTest::withoutEdge).toList(),
          recovered.contacts().stream().map(UserPersistenceTest::withoutEdge).toList());
      assertEquals(registered.contacts().get(0).edge().path().name(), recovered.contacts().get(0).edge().path().name());
    } finally {
      second.shutdownTestKit();
    }
  }

  private static List<Object> withoutEdge(Contact c) {
    return List.of(c.uri(), c.deviceId(), c.expiresAt());
  }

  private static <R> R ask(ActorTestKit kit, ActorRef<User.Command> user,
                           Function<ActorRef<StatusReply<R>>, User.Command> command) {
    TestProbe<StatusReply<R>> probe = kit.createTestProbe();
    user.tell(command.apply(probe.ref()));
    StatusReply<R> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> "expected success, got " + reply);
    return reply.getValue();
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
