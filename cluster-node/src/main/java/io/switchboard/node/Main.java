package io.switchboard.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.switchboard.config.EnvironmentOverrides;
import io.switchboard.config.Ports;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.config.SettingsException;
import io.switchboard.persistence.cassandra.CassandraStartException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code switchboard} process. Prints what it is doing, one line per step, and a last line
 * with the URLs to open; a problem the operator can fix ends it with one sentence on stderr and
 * exit code 2, the details going to the log file only.
 */
public final class Main {
  /** Exit code for a start-up problem the operator can fix (configuration, port, directory). */
  static final int EXIT_CANNOT_START = 2;
  /** Exit code for an unexpected failure. */
  static final int EXIT_FAILED = 1;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.out, System.err);
    System.exit(code);
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.println(usage());
      return 0;
    }
    if (args.length > 0) {
      err.println("switchboard: unknown argument '" + args[0] + "' (try --help)");
      return EXIT_CANNOT_START;
    }
    NodeConfiguration conf;
    try {
      Config config = SwitchboardConfig.load(env, ConfigFactory.empty());
      conf = NodeConfiguration.read(config);
      Node.prepareDataDirectory(conf.node().dataDir());
    } catch (SettingsException | StartupFailure e) {
      err.println("Switchboard cannot start: " + e.getMessage());
      return EXIT_CANNOT_START;
    } catch (ConfigException e) {
      // A syntax error in application.conf, an unresolved ${...}, a missing -Dconfig.file: the message names file and line.
      err.println("Switchboard cannot start: Configuration error: " + e.getMessage());
      return EXIT_CANNOT_START;
    }

    // Before the first logger exists: logback.xml writes the log file here.
    Path logDir = conf.node().dataDir().resolve("logs").toAbsolutePath().normalize();
    System.setProperty("switchboard.log.dir", logDir.toString());
    reconfigureLogging();
    Logger fileOnly = LoggerFactory.getLogger("switchboard.file-only");
    Path logFile = logDir.resolve("switchboard.log");

    try {
      Node node = Node.start(conf, line -> {
        out.println("==> " + line);
        out.flush();
        fileOnly.info(line);
      });
      String ready = readyLine(node.urls(), node.adminTokenFile(), logFile);
      out.println(ready);
      out.flush();
      fileOnly.info(ready);
      node.system().getWhenTerminated().toCompletableFuture().join();
      return exitCodeAfter(node, err);
    } catch (SettingsException | Ports.PortInUseException | CassandraStartException | StartupFailure e) {
      fileOnly.error("Switchboard cannot start", e);
      err.println("Switchboard cannot start: " + e.getMessage());
      return EXIT_CANNOT_START;
    } catch (RuntimeException e) {
      fileOnly.error("Switchboard failed to start", e);
      err.println("Switchboard failed to start: " + e + ". Details are in " + logFile + ".");
      return EXIT_FAILED;
    }
  }

  /**
   * 0 after a requested stop (SIGTERM, Ctrl-C); 1 when the cluster removed this node (downed by the
   * split-brain resolver, or a failed join), so that a supervisor restarts it.
   */
  static int exitCodeAfter(Node node, PrintStream err) {
    int code = CoordinatedShutdown.get(node.system()).getShutdownReason().map(reason -> {
      if (reason == CoordinatedShutdown.clusterDowningReason()
          || reason == CoordinatedShutdown.clusterJoinUnsuccessfulReason()
          || reason == CoordinatedShutdown.incompatibleConfigurationDetectedReason()) {
        err.println("Switchboard stopped: the cluster removed this node (" + reason
            + "); start it again to rejoin.");
        return EXIT_FAILED;
      }
      return 0;
    }).orElse(0);
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop(); // flush the asynchronous file appender before the JVM exits
    }
    return code;
  }

  /**
   * The Kanela agent (Kamon) may have initialised logback before we knew the data directory:
   * configure it again so that the log file lands in {@code <data-dir>/logs}.
   */
  private static void reconfigureLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      try {
        new ContextInitializer(context).autoConfig();
      } catch (JoranException e) {
        System.err.println("switchboard: logging configuration failed: " + e.getMessage());
      }
    }
  }

  static String readyLine(Node.Urls urls, java.util.Optional<Path> adminTokenFile, Path logFile) {
    List<String> parts = new ArrayList<>();
    urls.statusPage().ifPresent(u -> parts.add("status page " + u));
    urls.statusApi().ifPresent(u -> parts.add("API " + u));
    parts.add("health " + urls.ready());
    urls.metrics().ifPresent(u -> parts.add("metrics " + u));
    String token = adminTokenFile.map(f -> "owner token: " + f + "; ").orElse("");
    return "Switchboard is up: " + String.join(" | ", parts) + " (" + token + "log: " + logFile + "; Ctrl-C stops it)";
  }

  static String usage() {
    StringBuilder s = new StringBuilder("""
        Usage: switchboard start      (from the checkout; builds, then runs this class)

        Runs one Switchboard node. With no seed nodes it forms a one-node cluster; with no Cassandra
        contact points it starts an embedded Cassandra under the data directory.

        Environment variables (each overrides one configuration key):
        """);
    for (EnvironmentOverrides.Variable v : EnvironmentOverrides.VARIABLES) {
      s.append(String.format("  %-38s %s%n", v.name(), v.description()));
    }
    return s.toString();
  }
}
