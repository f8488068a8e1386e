package io.switchboard.persistence.cassandra;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;

/** The Pekko and driver configuration that points the journal, snapshots and projections at one Cassandra. */
public final class CassandraPekkoConfig {
  private CassandraPekkoConfig() {}

  /** @param contactPoints {@code host:port} of the Cassandra to use (the embedded one's, or the configured ones) */
  public static Config of(CassandraSettings settings, List<String> contactPoints) {
    return ConfigFactory.parseMap(Map.of(
        "datastax-java-driver.basic.contact-points", contactPoints,
        "datastax-java-driver.basic.load-balancing-policy.local-datacenter", settings.localDatacenter(),
        "pekko.persistence.cassandra.journal.keyspace", settings.journalKeyspace(),
        "pekko.persistence.cassandra.journal.replication-factor", settings.replicationFactor(),
        "pekko.persistence.cassandra.snapshot.keyspace", settings.snapshotKeyspace(),
        "pekko.persistence.cassandra.snapshot.replication-factor", settings.replicationFactor(),
        "pekko.projection.cassandra.offset-store.keyspace", settings.projectionKeyspace()),
        "switchboard.cassandra");
  }
}
