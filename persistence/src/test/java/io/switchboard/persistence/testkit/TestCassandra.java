package io.switchboard.persistence.testkit;

import io.switchboard.config.Ports;
import io.switchboard.persistence.cassandra.CassandraSettings;
import io.switchboard.persistence.cassandra.EmbeddedCassandra;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Cassandra per test JVM, shared by every test class in it (starting one costs 10–20 s on
 * two cores). It runs on free ports under {@code target/test-cassandra} with a fresh data directory
 * and is stopped by a shutdown hook when the test JVM exits.
 */
public final class TestCassandra {
  private static final Logger log = LoggerFactory.getLogger(TestCassandra.class);
  private static EmbeddedCassandra instance;

  private TestCassandra() {}

  /** The shared server's {@code host:port}, starting it on first use. */
  public static synchronized String contactPoint() {
    if (instance == null) {
      instance = EmbeddedCassandra.start(embeddedSettings(freshDirectory("shared")), log::info);
      EmbeddedCassandra started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-test-cassandra"));
    }
    return instance.contactPointString();
  }

  /** Settings for a test's own embedded Cassandra in {@code directory}, on free ports. */
  public static CassandraSettings.Embedded embeddedSettings(Path directory) {
    String classpath = System.getProperty("switchboard.cassandra.embedded.classpath-file",
        "../persistence/cassandra-server/target/cassandra.classpath");
    return new CassandraSettings.Embedded(directory.toAbsolutePath(), "127.0.0.1", Ports.freePort(),
        Ports.freePort(), "512m", Duration.ofSeconds(180), Path.of(classpath).toAbsolutePath().normalize());
  }

  /** A new, empty directory under {@code target/test-cassandra}. */
  public static Path freshDirectory(String name) {
    return Path.of("target", "test-cassandra", name + "-" + System.nanoTime()).toAbsolutePath();
  }
}
