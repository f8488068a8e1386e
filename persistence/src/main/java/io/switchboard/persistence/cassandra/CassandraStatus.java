package io.switchboard.persistence.cassandra;

import java.util.List;
import java.util.Optional;

/**
 * What the status page says about Cassandra.
 *
 * @param mode           embedded (started by this node) or external
 * @param contactPoints  where the driver connects
 * @param connected      whether a query answered just now
 * @param releaseVersion the server's version, when connected
 * @param error          why not, when not connected
 */
public record CassandraStatus(CassandraSettings.Mode mode, List<String> contactPoints, boolean connected,
                              Optional<String> releaseVersion, Optional<String> error) {
  public CassandraStatus {
    contactPoints = List.copyOf(contactPoints);
  }
}
