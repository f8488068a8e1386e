package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.config.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's start path, run as a newcomer runs it: the {@code switchboard} script (without its
 * build step: this test runs inside the build) with the embedded Cassandra, on free ports. SIGTERM
 * goes to the whole process group, as a terminal's Ctrl-C or a service manager does.
 */
class StartCommandIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir = Path.of("target", "it-data-" + System.nanoTime()).toAbsolutePath();
  private final Map<String, String> env = Map.of(
      "SWITCHBOARD_DATA_DIR", dataDir.toString(),
      "SWITCHBOARD_CLUSTER_PORT", Integer.toString(Ports.freePort()),
      "SWITCHBOARD_HTTP_PORT", Integer.toString(Ports.freePort()),
      "SWITCHBOARD_MANAGEMENT_PORT", Integer.toString(Ports.freePort()),
      "SWITCHBOARD_METRICS_PORT", Integer.toString(Ports.freePort()),
      "SWITCHBOARD_CASSANDRA_PORT", Integer.toString(Ports.freePort()),
      "SWITCHBOARD_CASSANDRA_STORAGE_PORT", Integer.toString(Ports.freePort()));

  @Test
  void startServeStopCleanlyAndKeepStateAcrossRestarts() throws Exception {
    JsonNode first = startCheckAndStop("first");
    assertEquals(1, first.at("/installation/nodeStarts").asLong());
    assertEquals("embedded", first.at("/cassandra/mode").asText());

    JsonNode second = startCheckAndStop("second");
    assertEquals(first.at("/installation/id").asText(), second.at("/installation/id").asText(),
        "the second start reuses the data directory");
    assertEquals(2, second.at("/installation/nodeStarts").asLong());
  }

  @Test
  void aBusyPortStopsTheStartWithOneSentence() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Map<String, String> busy = new java.util.HashMap<>(env);
      busy.put("SWITCHBOARD_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      Process p = script(busy, "start-busy");
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(2, p.exitValue());
      assertNoProcessLeft(p.pid());
      String stderr = Files.readString(dataDir.resolve("start-busy.err")).strip();
      assertTrue(stderr.startsWith("Switchboard cannot start: Port " + taken.getLocalPort()), stderr);
      assertFalse(stderr.contains("\n"), stderr);
    }
  }

  @Test
  void withoutAJdkOrAWritableDataDirectoryTheScriptAnswersWithOneSentence() throws Exception {
    assertScriptRefuses(Map.of("PATH", "/nonexistent"), "no Java was found");
    assertScriptRefuses(Map.of("SWITCHBOARD_DATA_DIR", "/proc/switchboard-it"),
        "the data directory /proc/switchboard-it is not writable");
  }

  private void assertScriptRefuses(Map<String, String> environment, String expected) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("switchboard").toString(), "start")
        .directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().remove("JAVA_HOME"); // else the script finds a JDK there despite the PATH
    pb.environment().putAll(environment);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), output);
    assertEquals(1, output.lines().count(), output);
    assertTrue(output.startsWith("Switchboard cannot start: " + expected), output);
  }

  private JsonNode startCheckAndStop(String name) throws Exception {
    Process p = script(env, name);
    Path out = dataDir.resolve(name + ".out");
    try {
      String upLine = awaitLine(p, out, "Switchboard is up:", Duration.ofMinutes(4));
      String statusUrl = upLine.replaceAll(".*API (\\S+).*", "$1");
      HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(statusUrl)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode());
      JsonNode json = JSON.readTree(status.body());
      assertEquals("Up", json.at("/cluster/members/0/status").asText());
      assertEquals(1, json.at("/cluster/members").size());
      assertTrue(json.at("/cassandra/connected").asBoolean(), status.body());

      String log = Files.readString(out);
      assertTrue(log.contains("Starting Cassandra"), log);
      assertTrue(log.contains("is Up"), log);
      assertTrue(Files.size(dataDir.resolve("logs").resolve("switchboard.log")) > 0, "a log file in the data dir");
      return json;
    } finally {
      // SIGTERM to the process group: the node, and the Cassandra it started, must both exit.
      // bash's builtin kill: /bin/kill (procps) is not on every minimal machine.
      new ProcessBuilder("/bin/bash", "-c", "kill -TERM -- -" + p.pid()).inheritIO().start().waitFor();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the node exits after SIGTERM");
      assertNoProcessLeft(p.pid());
    }
  }

  /** {@code setsid}: the script gets its own process group, as in a terminal. */
  private Process script(Map<String, String> environment, String name) throws IOException {
    Files.createDirectories(dataDir);
    ProcessBuilder pb = new ProcessBuilder("setsid", "bash", ROOT.resolve("switchboard").toString(), "run")
        .directory(ROOT.toFile())
        .redirectOutput(dataDir.resolve(name + ".out").toFile())
        .redirectError(dataDir.resolve(name + ".err").toFile());
    pb.environment().putAll(environment);
    return pb.start();
  }

  private static String awaitLine(Process p, Path out, String prefix, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      if (!p.isAlive()) {
        throw new AssertionError("the node exited with " + p.exitValue() + ": " + Files.readString(out));
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no '" + prefix + "' line within " + timeout + ": " + Files.readString(out));
  }

  /**
   * No process is left in the script's session (the node, anything it forked) and none anywhere
   * still refers to this test's data directory (its Cassandra, even if it escaped the session).
   */
  private void assertNoProcessLeft(long session) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> left = processesLeft(session);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      left = processesLeft(session);
    }
    assertEquals(List.of(), left, "processes left behind");
  }

  private List<String> processesLeft(long session) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ');
          String stat = Files.readString(proc.resolve("stat"));
          // Fields after the parenthesised command name: state ppid pgrp session ...
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          boolean inSession = Long.parseLong(fields[3]) == session;
          if (inSession || cmd.contains(dataDir.toString())) {
            found.add(proc.getFileName() + ": " + cmd.substring(0, Math.min(cmd.length(), 200)));
          }
        } catch (IOException gone) {
          // the process exited while we looked
        }
      }
    }
    return found;
  }
}
