package io.switchboard.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.switchboard.config.Ports;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.persistence.testkit.TestCassandra;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Nodes for integration tests: real wiring, free loopback ports, the shared test Cassandra. */
final class TestNodes {
  private static final Logger log = LoggerFactory.getLogger(TestNodes.class);

  private TestNodes() {}

  /** A node configuration on free ports; {@code contactPoint} is the Cassandra it uses. */
  static NodeConfiguration configuration(int clusterPort, List<String> seeds, String contactPoint,
                                         Map<String, Object> overrides) {
    Map<String, Object> keys = new HashMap<>();
    keys.put("switchboard.node.port", clusterPort);
    keys.put("switchboard.node.seed-nodes", seeds);
    keys.put("switchboard.data-dir", Path.of("target", "test-nodes", "node-" + clusterPort).toString());
    keys.put("switchboard.http.port", Ports.freePort());
    keys.put("switchboard.management.port", Ports.freePort());
    keys.put("switchboard.metrics.port", Ports.freePort());
    // SIP on free ports, so that several nodes share a JVM and a machine.
    keys.put("switchboard.sip.port", Ports.freePort());
    keys.put("switchboard.sip.tls-port", 0);
    keys.put("switchboard.sip.ws-port", 0);
    keys.put("switchboard.metrics.enabled", false);
    keys.put("switchboard.metrics.attach-instrumentation", false);
    keys.put("switchboard.cassandra.contact-points", List.of(contactPoint));
    keys.putAll(overrides);
    Config test = ConfigFactory.parseMap(keys).withFallback(ConfigFactory.parseString(String.join("\n",
        "pekko.actor.serialize-messages = on",
        "pekko.actor.serialize-creators = off",
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
        "pekko.coordinated-shutdown.exit-jvm = off",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
        // Node.stop() runs coordinated shutdown itself; a bare ActorSystem.terminate() is then a
        // crash as the cluster sees it: no leave, the split-brain resolver must down the node.
        "pekko.coordinated-shutdown.run-by-actor-system-terminate = off",
        "pekko.cluster.split-brain-resolver.stable-after = 3s",
        "kamon.metric.tick-interval = 1s")));
    return NodeConfiguration.read(SwitchboardConfig.load(Map.of(), test));
  }

  static NodeConfiguration configuration(int clusterPort, List<String> seeds) {
    return configuration(clusterPort, seeds, TestCassandra.contactPoint(), Map.of());
  }

  static Node start(NodeConfiguration conf) {
    return Node.start(conf, line -> log.info("[node :{}] {}", conf.node().port(), line));
  }

  /** Waits until {@code node} sees exactly {@code expected} members, all Up. */
  static void awaitUpMembers(Node node, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      long up = java.util.stream.StreamSupport.stream(
              org.apache.pekko.cluster.typed.Cluster.get(node.system()).state().getMembers().spliterator(), false)
          .filter(m -> m.status() == org.apache.pekko.cluster.MemberStatus.up()).count();
      if (up == expected
          && org.apache.pekko.cluster.typed.Cluster.get(node.system()).state().members().size() == expected) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(node.system().address() + " did not see " + expected + " members Up: "
        + org.apache.pekko.cluster.typed.Cluster.get(node.system()).state().getMembers());
  }
}
