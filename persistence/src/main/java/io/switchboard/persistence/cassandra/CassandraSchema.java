package io.switchboard.persistence.cassandra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates every keyspace and table Switchboard uses, idempotently ({@code IF NOT EXISTS}), before
 * any entity starts. We do this ourselves rather than with the plugin's {@code *-autocreate}, which
 * its authors reserve for development because concurrent creation from several nodes races.
 */
public final class CassandraSchema {
  private static final Logger log = LoggerFactory.getLogger(CassandraSchema.class);
  /** The plugin's session; every component shares it through the session registry. */
  public static final String SESSION_CONFIG_PATH = "pekko.persistence.cassandra";

  private CassandraSchema() {}

  public static CassandraSession session(ActorSystem<?> system) {
    return CassandraSessionRegistry.get(system).sessionFor(SESSION_CONFIG_PATH);
  }

  /** The statements, in order: keyspaces before their tables. */
  public static List<String> statements(ActorSystem<?> system, CassandraSettings settings) {
    org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
    KeyspaceAndTableStatements plugin =
        new KeyspaceAndTableStatements(classic, SESSION_CONFIG_PATH, PluginSettings.apply(classic));
    List<String> all = new ArrayList<>();
    all.add(plugin.createJournalKeyspaceStatement());
    all.addAll(plugin.getCreateJournalTablesStatements());
    all.add(plugin.createSnapshotKeyspaceStatement());
    all.addAll(plugin.getCreateSnapshotTablesStatements());
    // The projection plugin would create its keyspace with replication factor 1 whatever we
    // configure: create it first, with ours (its own CREATE is IF NOT EXISTS).
    all.add(createKeyspace(settings.projectionKeyspace(), settings.replicationFactor()));
    all.add(createKeyspace(settings.readModelKeyspace(), settings.replicationFactor()));
    return all;
  }

  private static String createKeyspace(String keyspace, int replicationFactor) {
    return "CREATE KEYSPACE IF NOT EXISTS " + keyspace
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}";
  }

  /**
   * Runs the statements, retrying the whole (idempotent) sequence while Cassandra is unreachable,
   * until {@code timeout}. Completes exceptionally if Cassandra never answers.
   */
  public static CompletionStage<Done> createIfNotExists(ActorSystem<?> system, CassandraSettings settings,
                                                        Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return attempt(system, settings, deadline, 1);
  }

  private static CompletionStage<Done> attempt(ActorSystem<?> system, CassandraSettings settings,
                                               long deadline, int attempt) {
    CassandraSession session = session(system);
    CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
    for (String statement : statements(system, settings)) {
      chain = chain.thenCompose(d -> session.executeDDL(statement));
    }
    chain = chain.thenCompose(d -> CassandraProjection.createTablesIfNotExists(system));
    return chain.handle((done, error) -> {
      if (error == null) {
        log.info("Cassandra schema is in place (journal {}, snapshots {}, projections {}, read models {})",
            settings.journalKeyspace(), settings.snapshotKeyspace(), settings.projectionKeyspace(),
            settings.readModelKeyspace());
        return CompletableFuture.completedStage(Done.getInstance());
      }
      if (System.nanoTime() > deadline) {
        return CompletableFuture.<Done>failedStage(error);
      }
      log.warn("Creating the Cassandra schema failed (attempt {}), retrying: {}", attempt, error.toString());
      return Patterns.after(Duration.ofSeconds(2), Adapter.toClassic(system).scheduler(), system.executionContext(),
          () -> attempt(system, settings, deadline, attempt + 1));
    }).thenCompose(stage -> stage);
  }
}
