package io.switchboard.persistence.installation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.persistence.testkit.TestNodeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/** The persistence round trip on a real Cassandra: persist, stop the ActorSystem, start another, recover. */
class InstallationPersistenceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void installationIsRecoveredFromCassandraByANewActorSystem() throws Exception {
    PersistenceId pid = PersistenceId.of(Installation.ENTITY_KEY.name(), "round-trip-" + UUID.randomUUID());
    Instant firstStart = Instant.parse("2026-11-24T10:00:00.123Z");

    ActorTestKit first = ActorTestKit.create("RoundTripFirst", TestNodeConfig.node(0));
    Installation.Info created;
    try {
      TestNodeConfig.ensureSchema(first.system());
      ActorRef<Installation.Command> entity = first.spawn(Installation.create(pid));
      TestProbe<StatusReply<Installation.Info>> probe = first.createTestProbe();
      Installation.RecordNodeStart start = new Installation.RecordNodeStart("first#1",
          "pekko://RoundTripFirst@127.0.0.1:1", List.of("core"), firstStart, probe.ref());
      entity.tell(start);
      created = probe.receiveMessage(TIMEOUT).getValue();
      assertEquals(1, created.nodeStarts());
      entity.tell(start); // a retried ask whose first copy arrived
      assertEquals(created, probe.receiveMessage(TIMEOUT).getValue(), "the same start is recorded once");
      assertEquals(firstStart, created.createdAt());

      // Exactly these events are in the journal, in order, and decode through Protobuf.
      List<EventEnvelope> stored = PersistenceQuery.get(first.system())
          .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier())
          .currentEventsByPersistenceId(pid.id(), 0, Long.MAX_VALUE)
          .runWith(Sink.seq(), first.system())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(
              new Installation.InstallationCreated(created.installationId(), firstStart),
              new Installation.NodeStartRecorded("first#1", "pekko://RoundTripFirst@127.0.0.1:1", List.of("core"),
                  firstStart)),
          stored.stream().map(EventEnvelope::event).toList());
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("RoundTripSecond", TestNodeConfig.node(0));
    try {
      ActorRef<Installation.Command> entity = second.spawn(Installation.create(pid));
      TestProbe<StatusReply<Installation.Info>> probe = second.createTestProbe();
      entity.tell(new Installation.GetInstallation(probe.ref()));
      StatusReply<Installation.Info> recovered = probe.receiveMessage(TIMEOUT);
      assertEquals(created, recovered.getValue(), "state recovered from the journal");

      Instant secondStart = firstStart.plusSeconds(60);
      entity.tell(new Installation.RecordNodeStart("second#2", "pekko://RoundTripSecond@127.0.0.1:2",
          List.of("core", "api"), secondStart, probe.ref()));
      Installation.Info again = probe.receiveMessage(TIMEOUT).getValue();
      assertEquals(created.installationId(), again.installationId(), "the id is minted once");
      assertEquals(2, again.nodeStarts());
      assertEquals(secondStart, again.lastStartedAt());
    } finally {
      second.shutdownTestKit();
    }
  }

  @Test
  void askingBeforeAnyNodeStartedIsAnErrorReplyNotATimeout() {
    ActorTestKit kit = ActorTestKit.create("NotStarted", TestNodeConfig.node(0));
    try {
      TestNodeConfig.ensureSchema(kit.system());
      ActorRef<Installation.Command> entity = kit.spawn(Installation.create(
          PersistenceId.of(Installation.ENTITY_KEY.name(), "empty-" + UUID.randomUUID())));
      TestProbe<StatusReply<Installation.Info>> probe = kit.createTestProbe();
      entity.tell(new Installation.GetInstallation(probe.ref()));
      StatusReply<Installation.Info> reply = probe.receiveMessage(TIMEOUT);
      assertTrue(reply.isError());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
