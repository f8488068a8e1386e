package io.switchboard.node;

import io.switchboard.call.CallActors;
import io.switchboard.call.cdr.CallHistory;
import io.switchboard.call.cdr.CallRecordProjection;
import io.switchboard.call.cdr.CallRecordStore;
import io.switchboard.config.ClusterRole;
import io.switchboard.config.Ports;
import io.switchboard.http.HttpApi;
import io.switchboard.http.admin.AdminRoutes;
import io.switchboard.http.calls.CallRoutes;
import io.switchboard.http.auth.AccessTokens;
import io.switchboard.http.auth.AdminTokenFile;
import io.switchboard.http.auth.ApiAuth;
import io.switchboard.http.auth.CredentialHashing;
import io.switchboard.http.status.StatusRoutes;
import io.switchboard.http.status.StatusService;
import io.switchboard.media.MediaActors;
import io.switchboard.persistence.cassandra.CassandraProbe;
import io.switchboard.persistence.cassandra.CassandraSchema;
import io.switchboard.persistence.cassandra.CassandraSettings;
import io.switchboard.persistence.cassandra.EmbeddedCassandra;
import io.switchboard.persistence.installation.Installation;
import io.switchboard.sip.SipEdge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import scala.jdk.javaapi.FutureConverters;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Switchboard node: the composition of every module according to its roles. {@code Main} and
 * the integration tests start nodes through {@link #start}, so tests run the real wiring.
 *
 * <p>Start-up order matters: Cassandra first (the journal), then the ActorSystem and cluster
 * membership, then the schema, then the entities, then the listeners that let traffic in.
 * Stopping is Pekko's coordinated shutdown: leave the cluster (shards hand over), unbind the
 * listeners, stop the embedded Cassandra, terminate.
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  /** URLs a person or a monitoring system uses; empty where this node's roles do not serve them. */
  public record Urls(Optional<String> statusPage, Optional<String> statusApi, String alive, String ready,
                     Optional<String> metrics) {}

  private final ActorSystem<Void> system;
  private final NodeConfiguration configuration;
  private final Optional<EmbeddedCassandra> cassandra;
  private final Urls urls;
  private final Optional<Path> adminTokenFile;

  private Node(ActorSystem<Void> system, NodeConfiguration configuration, Optional<EmbeddedCassandra> cassandra,
               Urls urls, Optional<Path> adminTokenFile) {
    this.system = system;
    this.configuration = configuration;
    this.cassandra = cassandra;
    this.urls = urls;
    this.adminTokenFile = adminTokenFile;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public NodeConfiguration configuration() {
    return configuration;
  }

  public Urls urls() {
    return urls;
  }

  /** The file holding the installation's first owner token, when this node's data directory has it. */
  public Optional<Path> adminTokenFile() {
    return adminTokenFile;
  }

  public Optional<EmbeddedCassandra> embeddedCassandra() {
    return cassandra;
  }

  /** Stops the node the way SIGTERM does (leave, hand over, unbind, stop); completes when terminated. */
  public CompletionStage<Done> stop() {
    return shutDown(system);
  }

  private static CompletionStage<Done> shutDown(ActorSystem<?> system) {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
        .thenCompose(done -> system.getWhenTerminated());
  }

  /**
   * Starts a node and returns when it is Up, its schema is in place and its listeners are bound.
   *
   * @param progress one line per step, for people watching the start
   * @throws StartupFailure (or a {@link io.switchboard.config.SettingsException},
   *     {@link Ports.PortInUseException}, {@link io.switchboard.persistence.cassandra.CassandraStartException})
   *     with a sentence saying what to fix
   */
  public static Node start(NodeConfiguration conf, Consumer<String> progress) {
    prepareDataDirectory(conf.node().dataDir());
    Ports.requireFree(listeners(conf));

    Optional<EmbeddedCassandra> embedded = Optional.empty();
    List<String> contactPoints = conf.cassandra().contactPoints();
    if (conf.cassandra().mode() == CassandraSettings.Mode.EMBEDDED) {
      EmbeddedCassandra started = EmbeddedCassandra.start(conf.cassandra().embedded(), progress);
      embedded = Optional.of(started);
      contactPoints = List.of(started.contactPointString());
    } else {
      progress.accept("Using the external Cassandra at " + String.join(", ", contactPoints));
    }

    ActorSystem<Void> system;
    try {
      com.typesafe.config.Config pekkoConfig = conf.pekkoConfig(contactPoints);
      if (conf.metrics().enabled()) {
        NodeMetrics.startKamon(conf.metrics(), pekkoConfig);
      }
      progress.accept("Starting the actor system " + conf.node().systemName() + " on " + conf.node().hostname() + ":"
          + conf.node().port() + " with roles " + roleNames(conf));
      system = ActorSystem.create(Behaviors.empty(), conf.node().systemName(), pekkoConfig);
    } catch (RuntimeException e) {
      embedded.ifPresent(EmbeddedCassandra::stop);
      throw e;
    }
    try {
      return startOn(system, conf, embedded, contactPoints, progress);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger("switchboard.file-only").error("Start-up failed; shutting down", e);
      awaitQuietly(shutDown(system), Duration.ofSeconds(90));
      throw e;
    }
  }

  private static Node startOn(ActorSystem<Void> system, NodeConfiguration conf, Optional<EmbeddedCassandra> embedded,
                              List<String> contactPoints, Consumer<String> progress) {
    embedded.ifPresent(c -> {
      // From now on coordinated shutdown stops Cassandra, after the node has left the cluster.
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
          "stop-embedded-cassandra",
          (Supplier<CompletionStage<Done>>) () -> c.stopAsync().thenApply(stopped -> Done.getInstance()));
      c.removeShutdownHook();
    });
    if (conf.metrics().enabled()) {
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "stop-kamon",
          (Supplier<CompletionStage<Done>>) () -> FutureConverters.asJava(kamon.Kamon.stop())
              .thenApply(x -> Done.getInstance()));
    }

    // Management first: /alive answers during a long join; /ready stays false until start-up completes.
    String management = "http://" + conf.management().host() + ":" + conf.management().port();
    PekkoManagement managementServer = PekkoManagement.get(system);
    await(managementServer.start(), Duration.ofSeconds(30),
        "Pekko Management could not bind " + management + ": choose another port with switchboard.management.port.");
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-management",
        (Supplier<CompletionStage<Done>>) managementServer::stop);

    joinCluster(system, conf, progress);

    progress.accept("Creating keyspaces and tables if missing");
    await(CassandraSchema.createIfNotExists(system, conf.cassandra(), conf.schemaTimeout()),
        conf.schemaTimeout().plusSeconds(30),
        "Cassandra at " + String.join(", ", contactPoints) + " did not accept the schema within "
            + conf.schemaTimeout().toSeconds() + " s: check that it is running and reachable.");

    // Entities and edges: every node registers the entity types (nodes without the core role proxy).
    Installation.init(system);
    CallActors.init(system, conf.calls(), conf.users());
    // Call detail records: the read model's tables, and its projection on the projection role.
    CallRecordStore callRecords = await(CallRecordStore.create(CassandraSchema.session(system),
            conf.cassandra().readModelKeyspace()), conf.schemaTimeout(),
        "Cassandra did not accept the call records tables within " + conf.schemaTimeout().toSeconds() + " s.");
    CallRecordProjection.init(system, callRecords);
    AccessTokens.init(system);
    if (conf.node().hasRole(ClusterRole.MEDIA)) {
      MediaActors.init(system, conf.media());
    }
    if (conf.node().hasRole(ClusterRole.EDGE)) {
      SipEdge.start(system, conf.sip(), conf.node().dataDir());
    }

    Installation.Info installation = recordNodeStart(system, conf);
    progress.accept("Installation " + installation.installationId() + " (created " + installation.createdAt()
        + ", node start #" + installation.nodeStarts() + ")");

    CassandraProbe probe = new CassandraProbe(system, conf.cassandra().mode(), contactPoints,
        conf.cassandraProbeTimeout());
    String base = "http://" + conf.http().publicHost() + ":" + conf.http().port();
    Optional<String> metrics = conf.metrics().enabled()
        ? Optional.of("http://" + conf.metrics().host() + ":" + conf.metrics().port() + "/metrics")
        : Optional.empty();
    Urls urls = new Urls(
        conf.node().hasRole(ClusterRole.API) ? Optional.of(base + "/") : Optional.empty(),
        conf.node().hasRole(ClusterRole.API) ? Optional.of(base + "/api/v1/status") : Optional.empty(),
        management + "/alive", management + "/ready", metrics);


    Optional<Path> adminTokenFile = Optional.empty();
    if (conf.node().hasRole(ClusterRole.API)) {
      CredentialHashing hashing = new CredentialHashing(conf.admin().hashingThreads(), conf.admin().hashingQueue());
      // After the binding is released (service-unbind), so that no request still waits for a hash.
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-credential-hashing",
          (Supplier<CompletionStage<Done>>) () -> {
            hashing.close();
            return java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
          });
      AdminTokenFile.Result token = bootstrapAdminToken(system, conf);
      progress.accept(token.describe());
      adminTokenFile = token.tokenFile();
      // One ApiAuth for every authenticated route of this node (admin API, call records).
      ApiAuth auth = new ApiAuth(system, hashing, conf.admin().askTimeout());
      AdminRoutes admin = new AdminRoutes(system, auth, hashing, conf.admin());
      List<StatusRoutes.Link> links = new ArrayList<>();
      links.add(new StatusRoutes.Link("Status as JSON", base + "/api/v1/status"));
      links.add(new StatusRoutes.Link("Liveness", urls.alive()));
      links.add(new StatusRoutes.Link("Readiness", urls.ready()));
      links.add(new StatusRoutes.Link("Cluster members", management + "/cluster/members"));
      metrics.ifPresent(m -> links.add(new StatusRoutes.Link("Prometheus metrics", m)));
      StatusService status = new StatusService(system, probe, Duration.ofSeconds(3));
      ServerBinding binding = await(HttpApi.start(system, conf.http(),
              org.apache.pekko.http.javadsl.server.Directives.concat(new StatusRoutes(status, links).route(),
                  new CallRoutes(auth, callRecords, new CallHistory(system)).routes(), admin.route())),
          Duration.ofSeconds(30), "The admin API could not bind " + conf.http().bindHost() + ":"
              + conf.http().port() + ": choose another port with switchboard.http.port.");
      log.info("Admin API bound to {}", binding.localAddress());
    }
    if (conf.metrics().enabled()) {
      NodeMetrics.startGauges(system, probe);
    }
    StartupState.get(system).markComplete();
    return new Node(system, conf, embedded, urls, adminTokenFile);
  }

  /**
   * The first owner token of the installation ({@link AdminTokenFile}); retried like the node
   * start, since sharding may still be allocating the token store's shard.
   */
  private static AdminTokenFile.Result bootstrapAdminToken(ActorSystem<?> system, NodeConfiguration conf) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        return AdminTokenFile.bootstrap(system, conf.node().dataDir(), conf.admin().bcryptCost(),
            Duration.ofSeconds(10));
      } catch (IllegalStateException e) {
        last = e;
        log.warn("Storing the owner token failed (attempt {}): {}", attempt, e.getMessage());
      }
    }
    throw new StartupFailure("The admin API's owner token could not be stored: " + last.getMessage(), last);
  }

  private static void joinCluster(ActorSystem<?> system, NodeConfiguration conf, Consumer<String> progress) {
    Cluster cluster = Cluster.get(system);
    if (conf.node().seedNodes().isEmpty()) {
      progress.accept("Forming a new cluster (no seed nodes configured)");
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      progress.accept("Joining the cluster through " + String.join(", ", conf.node().seedNodes()));
      List<Address> seeds = conf.node().seedNodes().stream().map(AddressFromURIString::parse).toList();
      cluster.manager().tell(new JoinSeedNodes(seeds));
    }
    long deadline = System.nanoTime() + conf.joinTimeout().toNanos();
    long nextNotice = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        throw new StartupFailure("This node did not become Up within " + conf.joinTimeout().toSeconds()
            + " s: check that a seed node (" + String.join(", ", conf.node().seedNodes())
            + ") is running and reachable, or raise switchboard.node.join-timeout.");
      }
      if (System.nanoTime() > nextNotice) {
        progress.accept("Still waiting to join the cluster (status " + cluster.selfMember().status() + ")");
        nextNotice = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      }
      sleep(100);
    }
    progress.accept("Cluster member " + cluster.selfMember().address() + " is Up");
  }

  private static Installation.Info recordNodeStart(ActorSystem<?> system, NodeConfiguration conf) {
    List<String> roles = conf.node().roles().stream().map(ClusterRole::roleName).sorted().toList();
    String address = Cluster.get(system).selfMember().address().toString();
    // Unique per incarnation: a retried ask whose first copy did arrive is recorded once.
    String startId = address + "#" + Cluster.get(system).selfMember().uniqueAddress().longUid();
    awaitCoreMember(system, Duration.ofSeconds(30));
    RuntimeException last = null;
    // Sharding may still be allocating the shard on a just-formed cluster: retry a few times.
    for (int attempt = 1; attempt <= 6; attempt++) {
      try {
        return Installation.ref(system)
            .<Installation.Info>askWithStatus(replyTo -> new Installation.RecordNodeStart(startId, address, roles, Instant.now(),
                    replyTo),
                Duration.ofSeconds(10))
            .toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        last = new StartupFailure("The journal did not record this node's start: " + e.getMessage(), e);
        log.warn("Recording the node start failed (attempt {}): {}", attempt, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupFailure("Interrupted while starting", e);
      }
    }
    throw last;
  }

  /** Entities live on core nodes; a cluster without one cannot record anything. */
  private static void awaitCoreMember(ActorSystem<?> system, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .noneMatch(m -> m.status() == MemberStatus.up() && m.hasRole(ClusterRole.CORE.roleName()))) {
      if (System.nanoTime() > deadline) {
        throw new StartupFailure("No cluster member with the core role is Up to host the entities: start a node"
            + " with the core role first, or add core to SWITCHBOARD_ROLES.");
      }
      sleep(200);
    }
  }

  private static List<Ports.Wanted> listeners(NodeConfiguration conf) {
    List<Ports.Wanted> wanted = new ArrayList<>();
    wanted.add(new Ports.Wanted(conf.node().hostname(), conf.node().port(), "switchboard.node.port",
        "cluster remoting"));
    wanted.add(new Ports.Wanted(conf.management().host(), conf.management().port(), "switchboard.management.port",
        "Pekko Management health checks"));
    if (conf.node().hasRole(ClusterRole.API)) {
      wanted.add(new Ports.Wanted(conf.http().bindHost(), conf.http().port(), "switchboard.http.port",
          "admin API"));
    }
    if (conf.metrics().enabled()) {
      wanted.add(new Ports.Wanted(conf.metrics().host(), conf.metrics().port(), "switchboard.metrics.port",
          "Prometheus metrics"));
    }
    return wanted;
  }

  /** Creates the data and log directories and proves they are writable, before anything else starts. */
  static void prepareDataDirectory(Path dataDir) {
    Path logs = dataDir.resolve("logs");
    try {
      Files.createDirectories(logs);
      Path probe = Files.createTempFile(dataDir, ".write-test", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new StartupFailure("The data directory " + dataDir.toAbsolutePath().normalize()
          + " is not writable: fix its permissions or choose another with SWITCHBOARD_DATA_DIR.", e);
    }
  }

  private static String roleNames(NodeConfiguration conf) {
    return String.join(", ", conf.node().roles().stream().map(ClusterRole::roleName).sorted().toList());
  }

  private static <T> T await(CompletionStage<T> stage, Duration timeout, String failure) {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new StartupFailure(failure + " (" + cause.getMessage() + ")", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupFailure("Interrupted while starting", e);
    }
  }

  private static void awaitQuietly(CompletionStage<?> stage, Duration timeout) {
    try {
      stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("Shutdown did not complete cleanly: {}", e.toString());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupFailure("Interrupted while joining the cluster", e);
    }
  }
}
