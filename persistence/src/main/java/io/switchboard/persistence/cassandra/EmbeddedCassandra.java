package io.switchboard.persistence.cassandra;

import io.switchboard.config.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Cassandra 5 server in a child JVM, for a developer's node and for tests.
 *
 * <p>It runs from the jars of {@code org.apache.cassandra:cassandra-all} (listed in the classpath
 * file that the {@code persistence/cassandra-server} module writes), with the Java 17 module flags
 * Cassandra's own {@code jvm17-server.options} sets. Its PID is kept in {@code cassandra.pid} so
 * that a server orphaned by a killed node is stopped at the next start instead of holding the
 * data directory and ports.
 */
public final class EmbeddedCassandra implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedCassandra.class);
  private static final String PID_FILE = "cassandra.pid";
  private static final String LOCK_FILE = "switchboard.lock";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

  /** Cassandra 5.0 dies at start on Java 17 without these (see DEPENDENCIES.md §3). */
  private static final List<String> JAVA17_FLAGS = List.of(
      "-Djdk.attach.allowAttachSelf=true",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports=java.sql/java.sql=ALL-UNNAMED",
      "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.math=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED");

  private final CassandraSettings.Embedded settings;
  private final Process process;
  private final DirectoryLock lock;
  private final Thread shutdownHook;
  private CompletableFuture<Void> stopping;

  private EmbeddedCassandra(CassandraSettings.Embedded settings, Process process, DirectoryLock lock) {
    this.settings = settings;
    this.process = process;
    this.lock = lock;
    // From its first moment, a JVM exit takes this Cassandra down too (the owner may hand this
    // duty to an orderly shutdown with removeShutdownHook()).
    this.shutdownHook = new Thread(this::stop, "stop-embedded-cassandra");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The exclusive lock on the Cassandra directory, held while its server runs. */
  private record DirectoryLock(FileChannel channel, FileLock lock) {
    void release() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        log.debug("Could not release the Cassandra directory lock", e);
      }
    }
  }

  /**
   * Starts the server and returns once it answers on its CQL port.
   *
   * @param progress receives one line per step, for the start command's output
   * @throws CassandraStartException with an actionable sentence when it cannot start
   */
  public static EmbeddedCassandra start(CassandraSettings.Embedded settings, Consumer<String> progress) {
    Path dir = settings.directory();
    List<String> classpath = readClasspath(settings.classpathFile());
    try {
      Files.createDirectories(dir.resolve("logs"));
    } catch (IOException e) {
      throw new CassandraStartException("Cannot create the Cassandra data directory " + dir
          + " (" + e.getMessage() + "): make it writable or set switchboard.cassandra.embedded.directory.", e);
    }
    if (!Files.isWritable(dir)) {
      throw new CassandraStartException("The Cassandra data directory " + dir
          + " is not writable: fix its permissions or set switchboard.cassandra.embedded.directory.");
    }
    DirectoryLock lock = lock(dir);
    try {
      stopOrphan(dir, progress);
      Ports.requireFree(List.of(
          new Ports.Wanted(settings.host(), settings.nativePort(),
              "switchboard.cassandra.embedded.native-port", "embedded Cassandra CQL"),
          new Ports.Wanted(settings.host(), settings.storagePort(),
              "switchboard.cassandra.embedded.storage-port", "embedded Cassandra storage")));
      return launch(settings, classpath, lock, progress);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  private static EmbeddedCassandra launch(CassandraSettings.Embedded settings, List<String> classpath,
                                          DirectoryLock lock, Consumer<String> progress) {
    Path dir = settings.directory();

    writeConfiguration(settings);
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(List.of("-Xms256m", "-Xmx" + settings.maxHeap(), "-Xss512k", "-XX:+UseG1GC",
        "-XX:MaxDirectMemorySize=256m", "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(JAVA17_FLAGS);
    command.addAll(List.of(
        "-Dio.netty.tryReflectionSetAccessible=true",
        "-Dcassandra.config=" + dir.resolve("cassandra.yaml").toUri(),
        "-Dcassandra.storagedir=" + dir,
        "-Dcassandra.logdir=" + dir.resolve("logs"),
        "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
        "-Dcassandra-foreground=yes",
        "-Dcassandra.jmx.local.port=" + Ports.freePort(),
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Dcassandra.ring_delay_ms=100",
        "-Dcassandra.superuser_setup_delay_ms=0",
        "-cp", String.join(java.io.File.pathSeparator, classpath),
        "org.apache.cassandra.service.CassandraDaemon"));

    Path stdout = dir.resolve("logs").resolve("stdout.log");
    progress.accept("Starting Cassandra " + "(data in " + dir + ", CQL on " + settings.host() + ":"
        + settings.nativePort() + ", log in " + dir.resolve("logs").resolve("system.log") + ")");
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
          .start();
    } catch (IOException e) {
      throw new CassandraStartException("Cannot launch the embedded Cassandra JVM: " + e.getMessage(), e);
    }
    EmbeddedCassandra cassandra = new EmbeddedCassandra(settings, process, lock);
    try {
      Files.writeString(dir.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      cassandra.stop();
      throw new CassandraStartException("Cannot write " + dir.resolve(PID_FILE) + ": " + e.getMessage(), e);
    }
    long started = System.nanoTime();
    cassandra.awaitCql(stdout);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    progress.accept("Cassandra is up (pid " + process.pid() + ", " + (millis / 100) / 10.0 + " s)");
    return cassandra;
  }

  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(settings.host(), settings.nativePort());
  }

  /** {@code host:port}, as the driver's {@code basic.contact-points} wants it. */
  public String contactPointString() {
    return settings.host() + ":" + settings.nativePort();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Hands the duty of stopping Cassandra at JVM exit to the caller's orderly shutdown. */
  public void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyExiting) {
      // The hook is running or about to: it stops Cassandra, as it should.
    }
  }

  /**
   * Releases the directory lock and forgets the server without stopping it: what SIGKILL of the
   * owning node does. Only for tests of the orphan clean-up.
   */
  void abandonLikeAKilledOwner() {
    removeShutdownHook();
    lock.release();
  }

  /** Stops the server and waits for it: see {@link #stopAsync()}. */
  public void stop() {
    stopAsync().join();
  }

  /**
   * Stops the server without blocking the caller: SIGTERM lets it flush its commit log; SIGKILL
   * only after a generous timeout. Completes once it has exited, its pid file is gone and the
   * directory lock is released. Idempotent: every call returns the same stage.
   */
  public synchronized CompletableFuture<Void> stopAsync() {
    if (stopping == null) {
      if (process.isAlive()) {
        log.info("Stopping embedded Cassandra (pid {})", process.pid());
      }
      process.destroy();
      stopping = process.onExit()
          .orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          .exceptionallyCompose(timeout -> {
            log.warn("Embedded Cassandra did not stop within {}; killing it", STOP_TIMEOUT);
            process.destroyForcibly();
            return process.onExit().orTimeout(10, TimeUnit.SECONDS);
          })
          .handle((exited, error) -> {
            try {
              Files.deleteIfExists(settings.directory().resolve(PID_FILE));
            } catch (IOException e) {
              log.debug("Could not delete the Cassandra pid file", e);
            }
            lock.release();
            return null;
          });
    }
    return stopping;
  }

  @Override
  public void close() {
    stop();
  }

  private void awaitCql(Path stdout) {
    long deadline = System.nanoTime() + settings.startupTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new CassandraStartException("The embedded Cassandra exited with code " + process.exitValue()
            + " during start-up; see " + stdout + " (last lines: " + tail(stdout) + ")");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(settings.host(), settings.nativePort()), 500);
        return;
      } catch (IOException notYet) {
        sleep(250);
      }
    }
    stop();
    throw new CassandraStartException("The embedded Cassandra did not answer on " + settings.host() + ":"
        + settings.nativePort() + " within " + settings.startupTimeout().toSeconds()
        + " s; see " + stdout + " and raise switchboard.cassandra.embedded.startup-timeout on a slow machine.");
  }

  private static List<String> readClasspath(Path classpathFile) {
    if (!Files.isRegularFile(classpathFile)) {
      throw new CassandraStartException("The embedded Cassandra's classpath file " + classpathFile
          + " does not exist: build the project first (./mvnw -DskipTests package) or set"
          + " switchboard.cassandra.embedded.classpath-file.");
    }
    try {
      String content = Files.readString(classpathFile).trim();
      List<String> entries = List.of(content.split(java.io.File.pathSeparator));
      for (String entry : entries) {
        if (!Files.exists(Path.of(entry))) {
          throw new CassandraStartException("The embedded Cassandra's jar " + entry
              + " is missing: rebuild with ./mvnw -DskipTests package to download it again.");
        }
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DirectoryLock lock(Path dir) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new CassandraStartException("The Cassandra data directory " + dir + " is in use by another running"
            + " Switchboard node: stop it, or give this node its own SWITCHBOARD_DATA_DIR and that node's Cassandra"
            + " in SWITCHBOARD_CASSANDRA_CONTACT_POINTS.");
      }
      return new DirectoryLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new CassandraStartException("The Cassandra data directory " + dir
          + " is already in use by an embedded Cassandra of this process.");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new CassandraStartException("Cannot lock the Cassandra data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  /**
   * Called with the directory lock held: a Cassandra still running from this directory has no
   * living owner (the lock would be taken), so it was orphaned by a killed node. Stop it.
   */
  private static void stopOrphan(Path dir, Consumer<String> progress) {
    Path pidFile = dir.resolve(PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isPresent() && isOurCassandra(pid, dir)) {
        progress.accept("Stopping a Cassandra (pid " + pid + ") left running by an earlier node");
        ProcessHandle h = handle.get();
        h.destroy();
        h.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      log.warn("Could not check or stop the Cassandra named in {}: {}", pidFile, e.toString());
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      log.debug("Could not delete {}", pidFile, e);
    }
  }

  private static boolean isOurCassandra(long pid, Path dir) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
      return cmdline.contains("org.apache.cassandra.service.CassandraDaemon")
          && cmdline.contains("-Dcassandra.storagedir=" + dir);
    } catch (IOException e) {
      return false;
    }
  }

  private static void writeConfiguration(CassandraSettings.Embedded s) {
    Path dir = s.directory();
    String yaml = String.join("\n",
        "# Written by Switchboard at every start of the embedded Cassandra; edits are overwritten.",
        "cluster_name: switchboard",
        "num_tokens: 1",
        "initial_token: 0",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "auto_bootstrap: false",
        "listen_address: " + s.host(),
        "rpc_address: " + s.host(),
        "storage_port: " + s.storagePort(),
        "start_native_transport: true",
        "native_transport_port: " + s.nativePort(),
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        "      - seeds: \"" + s.host() + ":" + s.storagePort() + "\"",
        "endpoint_snitch: SimpleSnitch",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        "commitlog_segment_size: 8MiB",
        "data_file_directories: [ " + dir.resolve("data") + " ]",
        "commitlog_directory: " + dir.resolve("commitlog"),
        "saved_caches_directory: " + dir.resolve("saved_caches"),
        "hints_directory: " + dir.resolve("hints"),
        "cdc_raw_directory: " + dir.resolve("cdc_raw"),
        "");
    String logback = String.join("\n",
        "<configuration>",
        "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">",
        "    <file>" + dir.resolve("logs").resolve("system.log") + "</file>",
        "    <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>",
        "  </appender>",
        "  <root level=\"INFO\"><appender-ref ref=\"FILE\"/></root>",
        "</configuration>",
        "");
    try {
      Files.writeString(dir.resolve("cassandra.yaml"), yaml, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("logback.xml"), logback, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CassandraStartException("Cannot write the Cassandra configuration in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "unreadable";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CassandraStartException("Interrupted while waiting for the embedded Cassandra");
    }
  }
}
