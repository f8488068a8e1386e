package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.config.Ports;
import io.switchboard.persistence.installation.Installation;
import io.switchboard.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes (three ActorSystems on loopback: two {@code core} nodes and an {@code api,edge}
 * node) form a cluster through a seed node; a sharded, event-sourced entity answers from every
 * node; the node hosting it leaves; the entity answers again from the survivors, recovered from
 * Cassandra on its new host.
 */
class ThreeNodeClusterTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (Node n : nodes) {
      n.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }
  }

  @Test
  void shardedEntityMovesWhenTheNodeHostingItLeaves() throws Exception {
    failover(false);
  }

  /** The host vanishes without leaving; keep-majority downs it and sharding restarts the entity elsewhere. */
  @Test
  void shardedEntityIsRecoveredWhenTheNodeHostingItCrashes() throws Exception {
    failover(true);
  }

  private void failover(boolean crash) throws Exception {
    int seedPort = Ports.freePort();
    List<String> seeds = List.of("pekko://switchboard@127.0.0.1:" + seedPort);
    nodes.add(TestNodes.start(TestNodes.configuration(seedPort, seeds)));
    nodes.add(TestNodes.start(TestNodes.configuration(Ports.freePort(), seeds)));
    // An edge node: it reaches entities through a sharding proxy and never hosts one.
    Node edge = TestNodes.start(TestNodes.configuration(Ports.freePort(), seeds, TestCassandra.contactPoint(),
        Map.of("switchboard.node.roles", List.of("api", "edge"))));
    nodes.add(edge);
    for (Node n : nodes) {
      TestNodes.awaitUpMembers(n, 3);
    }

    // Reachable from every node, and the same entity everywhere.
    List<Installation.Info> answers = new ArrayList<>();
    for (Node n : nodes) {
      answers.add(get(n));
    }
    Installation.Info before = answers.get(0);
    for (Installation.Info a : answers) {
      assertEquals(before, a, "every node sees the one entity");
    }

    Node host = hostOf(nodes).orElseThrow(() -> new AssertionError("no node hosts the Installation entity"));
    assertTrue(host != edge, "entities live on core nodes only");
    nodes.remove(host);
    if (crash) {
      host.system().terminate(); // no coordinated shutdown: no leave, no hand-off
      host.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } else {
      host.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }

    for (Node survivor : nodes) {
      TestNodes.awaitUpMembers(survivor, 2);
    }
    for (Node survivor : nodes) {
      assertEquals(before, getEventually(survivor), "state recovered from the journal after the host left");
    }
    Node newHost = hostOf(nodes).orElseThrow(() -> new AssertionError("the entity was not restarted"));
    assertTrue(nodes.contains(newHost) && newHost != edge, "restarted on the surviving core node");
  }

  private static Installation.Info get(Node node) throws Exception {
    return Installation.ref(node.system())
        .<Installation.Info>askWithStatus(Installation.GetInstallation::new, Duration.ofSeconds(10))
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  /** While shards hand over, asks may time out: retry until the entity answers again. */
  private static Installation.Info getEventually(Node node) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        return get(node);
      } catch (Exception e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw new AssertionError("the entity did not answer from " + node.system().address(), last);
  }

  private static Optional<Node> hostOf(List<Node> candidates) {
    // Every node is asked, the edge node's proxy too: a proxy must report no entity.
    for (Node n : candidates) {
      TestProbe<ShardRegion.CurrentShardRegionState> probe = TestProbe.create(n.system());
      ClusterSharding.get(n.system()).shardState()
          .tell(new GetShardRegionState(Installation.ENTITY_KEY, probe.getRef()));
      ShardRegion.CurrentShardRegionState state = probe.receiveMessage(Duration.ofSeconds(10));
      boolean hosts = state.getShards().stream().anyMatch(s -> s.getEntityIds().contains(Installation.ENTITY_ID));
      if (hosts) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}
