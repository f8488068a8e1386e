package io.switchboard.call.cdr;

import io.switchboard.call.Call;
import io.switchboard.call.CallEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/** A call's full event history, read from its journal (for support and for the API). */
public final class CallHistory {
  /** A call journal is small; this bounds what one request may read. */
  public static final long MAX_EVENTS = 10_000;

  private final ActorSystem<?> system;
  private final CassandraReadJournal journal;

  public CallHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class,
        CassandraReadJournal.Identifier());
  }

  public record Entry(long sequenceNr, Instant timestamp, CallEvent event) {}

  /** The tenant a call belongs to, from the first event of its journal; empty for an unknown call. */
  public CompletionStage<java.util.Optional<String>> tenantOf(String callId) {
    String persistenceId = PersistenceId.of(Call.ENTITY_KEY.name(), callId).id();
    return journal.currentEventsByPersistenceId(persistenceId, 0L, 1L)
        .filter(e -> e.event() instanceof CallEvent.CallStarted)
        .map(e -> ((CallEvent.CallStarted) e.event()).tenantId())
        .runWith(Sink.headOption(), system);
  }

  public CompletionStage<List<Entry>> of(String callId) {
    String persistenceId = PersistenceId.of(Call.ENTITY_KEY.name(), callId).id();
    return journal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .take(MAX_EVENTS)
        .filter(e -> e.event() instanceof CallEvent)
        .map(e -> new Entry(e.sequenceNr(), Instant.ofEpochMilli(e.timestamp()), (CallEvent) e.event()))
        .runWith(Sink.seq(), system);
  }
}
