package io.switchboard.node;

import io.switchboard.persistence.cassandra.CassandraSchema;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/** Readiness: a node that cannot reach Cassandra cannot persist a call, so it is not ready. */
public final class CassandraReadinessCheck implements Supplier<CompletionStage<Boolean>> {
  private final ActorSystem system;

  public CassandraReadinessCheck(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CassandraSchema.session(Adapter.toTyped(system))
        .selectOne("SELECT release_version FROM system.local")
        .toCompletableFuture()
        .orTimeout(2, TimeUnit.SECONDS)
        .handle((row, error) -> error == null && row.isPresent());
  }
}
