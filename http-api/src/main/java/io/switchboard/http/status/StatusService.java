package io.switchboard.http.status;

import io.switchboard.persistence.cassandra.CassandraProbe;
import io.switchboard.persistence.cassandra.CassandraStatus;
import io.switchboard.persistence.installation.Installation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.StatusReply;

/** Gathers what {@code /api/v1/status} and the status page show, without blocking. */
public final class StatusService {
  private static final String VERSION = versionOf(StatusService.class);

  private final ActorSystem<?> system;
  private final CassandraProbe cassandra;
  private final Duration askTimeout;
  private final Instant startedAt = Instant.now();

  public StatusService(ActorSystem<?> system, CassandraProbe cassandra, Duration askTimeout) {
    this.system = system;
    this.cassandra = cassandra;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<NodeStatus> status() {
    CompletionStage<NodeStatus.Cassandra> db = cassandra.check().thenApply(StatusService::toView);
    CompletionStage<NodeStatus.Installation> installation = installation();
    return db.thenCombine(installation, (c, i) -> new NodeStatus(self(), cluster(), c, i));
  }

  private NodeStatus.Node self() {
    Member self = Cluster.get(system).selfMember();
    return new NodeStatus.Node(self.address().toString(), statusName(self), roles(self.getRoles()), VERSION,
        Duration.between(startedAt, Instant.now()).toSeconds());
  }

  private NodeStatus.Cluster cluster() {
    ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
    Set<Member> unreachable = state.getUnreachable();
    List<NodeStatus.Member> members = new ArrayList<>();
    StreamSupport.stream(state.getMembers().spliterator(), false)
        .sorted(Comparator.comparing(m -> m.address().toString()))
        .forEach(m -> members.add(new NodeStatus.Member(m.address().toString(), statusName(m), roles(m.getRoles()),
            !unreachable.contains(m))));
    String leader = state.getLeader() == null ? null : state.getLeader().toString();
    return new NodeStatus.Cluster(leader, members);
  }

  private CompletionStage<NodeStatus.Installation> installation() {
    CompletionStage<StatusReply<Installation.Info>> reply;
    try {
      reply = Installation.ref(system).ask(Installation.GetInstallation::new, askTimeout);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new NodeStatus.Installation(false, null, null, null, e.getMessage()));
    }
    return reply.handle((r, error) -> {
      if (error != null) {
        return new NodeStatus.Installation(false, null, null, null, "not answering: " + error.getMessage());
      }
      if (r.isError()) {
        return new NodeStatus.Installation(false, null, null, null, r.getError().getMessage());
      }
      Installation.Info info = r.getValue();
      return new NodeStatus.Installation(true, info.installationId(), info.createdAt().toString(),
          info.nodeStarts(), null);
    });
  }

  private static NodeStatus.Cassandra toView(CassandraStatus s) {
    return new NodeStatus.Cassandra(s.mode().name().toLowerCase(Locale.ROOT), s.contactPoints(), s.connected(),
        s.releaseVersion().orElse(null), s.error().orElse(null));
  }

  /** Pekko's status names are upper-case objects (Up, WeaklyUp, ...); show them as Pekko documents them. */
  static String statusName(Member m) {
    String raw = m.status().toString();
    return raw.isEmpty() ? raw : Character.toUpperCase(raw.charAt(0)) + raw.substring(1);
  }

  /** Our roles, without Pekko's implicit data-center role. */
  private static List<String> roles(Set<String> roles) {
    return roles.stream().filter(r -> !r.startsWith("dc-")).sorted().toList();
  }

  private static String versionOf(Class<?> type) {
    String v = type.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
