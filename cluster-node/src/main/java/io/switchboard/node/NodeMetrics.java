package io.switchboard.node;

import com.typesafe.config.Config;
import io.switchboard.persistence.cassandra.CassandraProbe;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import kamon.Kamon;
import kamon.metric.Gauge;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Kamon, and the node-level gauges only this module can see. Kamon is one per JVM: it is started
 * before the ActorSystem (so that the Pekko instrumentation sees it) and stopped in coordinated
 * shutdown.
 */
final class NodeMetrics {
  /** Cluster members by status, as Prometheus {@code switchboard_cluster_members{status="up"}}. */
  enum Status { UP, JOINING, LEAVING, EXITING, DOWN, OTHER }

  private NodeMetrics() {}

  static void startKamon(MetricsSettings settings, Config config) {
    if (settings.attachInstrumentation()) {
      Kamon.init(config);
    } else {
      Kamon.initWithoutAttaching(config);
    }
  }

  /** Samples membership and Cassandra reachability every few seconds until the system stops. */
  static Cancellable startGauges(ActorSystem<?> system, CassandraProbe cassandra) {
    Map<Status, Gauge> members = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      members.put(s, Kamon.gauge("switchboard.cluster.members", "Cluster members by membership status")
          .withTag("status", s.name().toLowerCase(Locale.ROOT)));
    }
    Gauge connected = Kamon.gauge("switchboard.cassandra.connected", "1 when Cassandra answered the last probe")
        .withoutTags();
    return system.scheduler().scheduleAtFixedRate(Duration.ofSeconds(1), Duration.ofSeconds(5), () -> {
      Map<Status, Integer> counts = new EnumMap<>(Status.class);
      for (Member m : Cluster.get(system).state().getMembers()) {
        counts.merge(statusOf(m.status()), 1, Integer::sum);
      }
      members.forEach((status, gauge) -> gauge.update(counts.getOrDefault(status, 0)));
      cassandra.check().thenAccept(s -> connected.update(s.connected() ? 1 : 0));
    }, system.executionContext());
  }

  private static Status statusOf(MemberStatus status) {
    if (status == MemberStatus.up()) {
      return Status.UP;
    } else if (status == MemberStatus.joining() || status == MemberStatus.weaklyUp()) {
      return Status.JOINING;
    } else if (status == MemberStatus.leaving()) {
      return Status.LEAVING;
    } else if (status == MemberStatus.exiting()) {
      return Status.EXITING;
    } else if (status == MemberStatus.down()) {
      return Status.DOWN;
    }
    return Status.OTHER;
  }
}
