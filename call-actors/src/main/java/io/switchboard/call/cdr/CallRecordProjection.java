package io.switchboard.call.cdr;

import io.switchboard.call.Call;
import io.switchboard.call.CallEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;

/**
 * Writes a call detail record for every {@link CallEvent.CallEnded} in the journal. One projection
 * instance per tag slice of the Call events, spread over the nodes with the {@code projection}
 * role by a sharded daemon process; offsets are stored in Cassandra, so a projection restarted on
 * another node resumes where it left off (at least once: the row upsert makes a replay harmless).
 */
public final class CallRecordProjection {
  public static final String NAME = "call-records";

  private CallRecordProjection() {}

  public static void init(ActorSystem<?> system, CallRecordStore store) {
    List<String> tags = Call.allTags();
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, NAME, tags.size(),
        index -> ProjectionBehavior.create(projection(system, store, tags.get(index))),
        ShardedDaemonProcessSettings.create(system).withRole("projection"),
        java.util.Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static org.apache.pekko.projection.Projection<EventEnvelope<CallEvent>> projection(
      ActorSystem<?> system, CallRecordStore store, String tag) {
    SourceProvider<Offset, EventEnvelope<CallEvent>> source =
        EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), tag);
    return CassandraProjection.atLeastOnce(ProjectionId.of(NAME, tag), source, () -> new RecordWriter(store));
  }

  /** Writes the record carried by CallEnded; every other event is only an offset to advance past. */
  static final class RecordWriter extends Handler<EventEnvelope<CallEvent>> {
    private final CallRecordStore store;

    RecordWriter(CallRecordStore store) {
      this.store = store;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<CallEvent> envelope) {
      if (envelope.event() instanceof CallEvent.CallEnded ended) {
        return store.save(ended.record());
      }
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }
}
