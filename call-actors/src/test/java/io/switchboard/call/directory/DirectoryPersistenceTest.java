package io.switchboard.call.directory;

import static io.switchboard.call.directory.DirectoryFixtures.credentials;
import static io.switchboard.call.directory.DirectoryFixtures.group;
import static io.switchboard.call.directory.DirectoryFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.call.routing.Destination;
import io.switchboard.call.routing.RingStrategy;
import io.switchboard.persistence.testkit.TestNodeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/** The Directory recovers from a real Cassandra journal in a new ActorSystem, round-robin cursor and trunks included. */
class DirectoryPersistenceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void theDirectoryIsRecoveredFromCassandraByANewActorSystem() throws Exception {
    String tenantId = "t-" + UUID.randomUUID();
    PersistenceId pid = PersistenceId.of(Directory.ENTITY_KEY.name(), tenantId);
    String realm = Tenant.defaultRealm(tenantId);
    Instant at = Instant.parse("2026-11-24T10:00:00Z");

    DirectoryView before;
    ActorTestKit first = ActorTestKit.create("DirectoryFirst", TestNodeConfig.node(0));
    try {
      TestNodeConfig.ensureSchema(first.system());
      ActorRef<Directory.Command> entity = first.spawn(Directory.create(tenantId, pid));
      Tenant tenant = ask(first, entity, r -> new Directory.CreateTenant("Acme", Optional.empty(), Optional.of("49"),
          at, r));
      this.<UserView>ask(first, entity, r -> new Directory.CreateUser(user("u1", "201"), Optional.of(credentials("u1", realm)), r));
      this.<UserView>ask(first, entity, r -> new Directory.CreateUser(user("u2", "202"), Optional.empty(), r));
      RingGroup rr = group("g1", "300", RingStrategy.ROUND_ROBIN, "u1", "u2");
      this.<RingGroup>ask(first, entity, r -> new Directory.CreateRingGroup(rr, r));
      Trunk carrier = DirectoryFixtures.trunk("carrier", "sip.carrier.example");
      this.<Trunk>ask(first, entity, r -> new Directory.CreateTrunk(carrier, r));
      Destination firstCall = ask(first, entity, r -> new Directory.Resolve("300", at, r));
      assertEquals("u1", ((Destination.ToRingGroup) firstCall).members().get(0).userId());
      before = ask(first, entity, Directory.GetDirectory::new);

      List<Object> stored = PersistenceQuery.get(first.system())
          .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier())
          .currentEventsByPersistenceId(pid.id(), 0, Long.MAX_VALUE)
          .runWith(Sink.seq(), first.system())
          .toCompletableFuture().get(30, TimeUnit.SECONDS)
          .stream().map(EventEnvelope::event).toList();
      assertEquals(List.of(
          new Directory.TenantCreated(tenant),
          new Directory.UserCreated(user("u1", "201"), Optional.of(credentials("u1", realm))),
          new Directory.UserCreated(user("u2", "202"), Optional.empty()),
          new Directory.RingGroupCreated(rr),
          new Directory.TrunkCreated(carrier),
          new Directory.RingGroupRotated("g1", 1)), stored);
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("DirectorySecond", TestNodeConfig.node(0));
    try {
      ActorRef<Directory.Command> entity = second.spawn(Directory.create(tenantId, pid));
      assertEquals(before, ask(second, entity, Directory.GetDirectory::new), "state recovered from the journal");
      Destination secondCall = ask(second, entity, r -> new Directory.Resolve("300", at, r));
      assertEquals("u2", ((Destination.ToRingGroup) secondCall).members().get(0).userId(),
          "the round-robin cursor survived");
      assertEquals("u1", this.<DigestCredentials>ask(second, entity,
          r -> new Directory.GetSipCredentials("u1", r)).userId());
    } finally {
      second.shutdownTestKit();
    }
  }

  private <R> R ask(ActorTestKit kit, ActorRef<Directory.Command> entity,
                    Function<ActorRef<StatusReply<R>>, Directory.Command> command) throws Exception {
    return AskPattern.askWithStatus(entity, command::apply, TIMEOUT, kit.scheduler())
        .toCompletableFuture().get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
  }
}
