package io.switchboard.persistence.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.config.SettingsReader;
import io.switchboard.persistence.cassandra.CassandraPekkoConfig;
import io.switchboard.persistence.cassandra.CassandraSchema;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import io.switchboard.persistence.cassandra.CassandraSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * Configuration of an ActorSystem in tests: a cluster node on loopback, every message serialized
 * (so a type without a Protobuf codec fails the test that sends it), journal on the shared test
 * Cassandra.
 */
public final class TestNodeConfig {
  private static boolean schemaCreated;

  private TestNodeConfig() {}

  public static Config node(int arteryPort) {
    return ConfigFactory.parseString(String.join("\n",
            "pekko.actor.provider = cluster",
            "pekko.actor.serialize-messages = on",
            "pekko.actor.serialize-creators = off",
            "pekko.remote.artery.canonical.hostname = 127.0.0.1",
            "pekko.remote.artery.canonical.port = " + arteryPort,
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
            "pekko.cluster.downing-provider-class = \"org.apache.pekko.cluster.sbr.SplitBrainResolverProvider\"",
            "pekko.coordinated-shutdown.exit-jvm = off",
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
            "pekko.loglevel = INFO",
            "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
            "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\""))
        .withFallback(cassandra())
        .withFallback(SwitchboardConfig.load());
  }

  /** The Pekko settings that point at the shared test Cassandra. */
  public static Config cassandra() {
    return CassandraPekkoConfig.of(cassandraSettings(), List.of(TestCassandra.contactPoint()));
  }

  /** Creates Switchboard's keyspaces and tables on the shared test Cassandra, once per JVM. */
  public static synchronized void ensureSchema(ActorSystem<?> system) {
    if (schemaCreated) {
      return;
    }
    try {
      CassandraSchema.createIfNotExists(system, cassandraSettings(), Duration.ofSeconds(60))
          .toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not create the schema on the test Cassandra", e);
    }
    schemaCreated = true;
  }

  public static CassandraSettings cassandraSettings() {
    return CassandraSettings.read(new SettingsReader(SwitchboardConfig.load()), Path.of("target"));
  }
}
