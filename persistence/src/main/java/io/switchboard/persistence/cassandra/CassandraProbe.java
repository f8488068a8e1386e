package io.switchboard.persistence.cassandra;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;

/** Asks Cassandra for its version, with a deadline, to tell whether this node is connected. */
public final class CassandraProbe {
  private final ActorSystem<?> system;
  private final CassandraSettings.Mode mode;
  private final List<String> contactPoints;
  private final Duration timeout;

  public CassandraProbe(ActorSystem<?> system, CassandraSettings.Mode mode, List<String> contactPoints,
                        Duration timeout) {
    this.system = system;
    this.mode = mode;
    this.contactPoints = List.copyOf(contactPoints);
    this.timeout = timeout;
  }

  public CassandraSettings.Mode mode() {
    return mode;
  }

  public CompletionStage<CassandraStatus> check() {
    return CassandraSchema.session(system)
        .selectOne("SELECT release_version FROM system.local")
        .toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((row, error) -> {
          if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            String reason = cause instanceof java.util.concurrent.TimeoutException
                ? "no answer within " + timeout.toMillis() + " ms"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            return new CassandraStatus(mode, contactPoints, false, Optional.empty(), Optional.of(reason));
          }
          return new CassandraStatus(mode, contactPoints, true,
              row.map(r -> r.getString("release_version")), Optional.empty());
        });
  }
}
