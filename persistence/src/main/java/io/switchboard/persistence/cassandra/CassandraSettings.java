package io.switchboard.persistence.cassandra;

import io.switchboard.config.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the event journal and read models live.
 *
 * @param contactPoints      {@code host:port} of an external Cassandra; empty means "start the embedded one"
 * @param localDatacenter    the driver's local datacenter ({@code datacenter1} for the embedded node)
 * @param replicationFactor  replication factor for keyspaces this node creates
 * @param journalKeyspace    events and tag views
 * @param snapshotKeyspace   snapshots
 * @param projectionKeyspace projection offsets
 * @param readModelKeyspace  read models (call records, statistics)
 * @param embedded           how to run the embedded Cassandra
 */
public record CassandraSettings(
    List<String> contactPoints,
    String localDatacenter,
    int replicationFactor,
    String journalKeyspace,
    String snapshotKeyspace,
    String projectionKeyspace,
    String readModelKeyspace,
    Embedded embedded) {

  /** Which Cassandra this node uses. */
  public enum Mode { EMBEDDED, EXTERNAL }

  /**
   * The embedded Cassandra: a real Cassandra server forked from Maven Central jars.
   *
   * @param directory      its data, commit log, configuration and logs
   * @param host           listen and CQL address
   * @param nativePort     CQL port
   * @param storagePort    internode port (nothing joins it, but Cassandra binds it)
   * @param maxHeap        {@code -Xmx} of its JVM
   * @param startupTimeout how long to wait for CQL to answer
   * @param classpathFile  file listing the server's jars (written by persistence/cassandra-server)
   */
  public record Embedded(Path directory, String host, int nativePort, int storagePort, String maxHeap,
                         Duration startupTimeout, Path classpathFile) {}

  public CassandraSettings {
    contactPoints = List.copyOf(contactPoints);
  }

  public Mode mode() {
    return contactPoints.isEmpty() ? Mode.EMBEDDED : Mode.EXTERNAL;
  }

  /** Reads {@code switchboard.cassandra}; the embedded directory defaults to {@code <data-dir>/cassandra}. */
  public static CassandraSettings read(SettingsReader root, Path dataDir) {
    SettingsReader c = root.at("switchboard.cassandra");
    List<String> contactPoints = new ArrayList<>();
    for (String cp : c.stringList("contact-points")) {
      String trimmed = cp.trim();
      int colon = trimmed.lastIndexOf(':');
      if (colon <= 0 || colon == trimmed.length() - 1) {
        c.problem("contact-points", "entry '" + cp + "' must be host:port");
        continue;
      }
      try {
        int port = Integer.parseInt(trimmed.substring(colon + 1));
        if (port < 1 || port > 65535) {
          c.problem("contact-points", "entry '" + cp + "' has an invalid port");
          continue;
        }
      } catch (NumberFormatException e) {
        c.problem("contact-points", "entry '" + cp + "' has a port that is not a number");
        continue;
      }
      contactPoints.add(trimmed);
    }
    String dc = c.nonEmptyString("local-datacenter");
    int rf = c.intInRange("replication-factor", 1, 9);
    String journal = keyspace(c, "journal-keyspace");
    String snapshot = keyspace(c, "snapshot-keyspace");
    String projection = keyspace(c, "projection-keyspace");
    String readModel = keyspace(c, "read-model-keyspace");

    SettingsReader e = c.at("embedded");
    String dir = e.string("directory");
    Path directory = dir.isBlank() ? dataDir.resolve("cassandra") : Path.of(dir);
    String host = e.nonEmptyString("host");
    int nativePort = e.port("native-port", false);
    int storagePort = e.port("storage-port", false);
    if (nativePort != 0 && nativePort == storagePort) {
      e.problem("storage-port", "must differ from " + e.fullKey("native-port"));
    }
    String maxHeap = e.nonEmptyString("max-heap");
    if (!maxHeap.isEmpty() && !maxHeap.matches("\\d+[mMgG]")) {
      e.problem("max-heap", "= " + maxHeap + " must look like 768m or 1g");
    }
    Duration timeout = e.positiveDuration("startup-timeout");
    Path classpathFile = e.path("classpath-file");
    root.validate();
    return new CassandraSettings(contactPoints, dc, rf, journal, snapshot, projection, readModel,
        new Embedded(directory.toAbsolutePath().normalize(), host, nativePort, storagePort, maxHeap, timeout,
            classpathFile.toAbsolutePath().normalize()));
  }

  private static String keyspace(SettingsReader c, String key) {
    String name = c.nonEmptyString(key);
    if (!name.isEmpty() && !name.matches("[a-zA-Z][a-zA-Z0-9_]{0,47}")) {
      c.problem(key, "= " + name + " is not a valid Cassandra keyspace name");
    }
    return name;
  }
}
