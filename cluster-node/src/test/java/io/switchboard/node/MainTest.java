package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.config.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a newcomer sees when the node cannot start: one sentence on stderr, exit code 2, no stack trace. */
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, String> freePorts() {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_DATA_DIR", "target/main-test-data");
    env.put("SWITCHBOARD_CLUSTER_PORT", Integer.toString(Ports.freePort()));
    env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(Ports.freePort()));
    env.put("SWITCHBOARD_MANAGEMENT_PORT", Integer.toString(Ports.freePort()));
    env.put("SWITCHBOARD_METRICS_PORT", Integer.toString(Ports.freePort()));
    env.put("SWITCHBOARD_CASSANDRA_CONTACT_POINTS", "127.0.0.1:" + Ports.freePort());
    return env;
  }

  /**
   * Runs Main with one variable changed from a good environment and checks it refuses to start
   * with exit code 2 and one sentence, without exception names or stack trace, containing each
   * of {@code expected}.
   */
  private void assertRefused(String variable, String value, String... expected) {
    Map<String, String> env = freePorts();
    env.put(variable, value);
    assertEquals(Main.EXIT_CANNOT_START, run(env));
    String text = stderr().strip();
    assertFalse(text.contains("\n"), "one line: " + text);
    assertFalse(text.contains("Exception"), "no exception names: " + text);
    assertFalse(text.contains("\tat "), "no stack trace: " + text);
    assertTrue(text.startsWith("Switchboard cannot start: "), text);
    for (String fragment : expected) {
      assertTrue(text.contains(fragment), "expected '" + fragment + "' in: " + text);
    }
  }

  @Test
  void aWrongPortInTheEnvironmentNamesItsKey() {
    assertRefused("SWITCHBOARD_HTTP_PORT", "99999", "switchboard.http.port = 99999 is not a valid port");
  }

  @Test
  void aBusyPortIsNamedBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertRefused("SWITCHBOARD_HTTP_PORT", Integer.toString(port), "Port " + port, "switchboard.http.port");
    }
  }

  @Test
  void anUnwritableDataDirectoryIsNamed() {
    assertRefused("SWITCHBOARD_DATA_DIR", "/proc/switchboard-data", "/proc/switchboard-data is not writable");
  }

  @Test
  void helpListsEveryEnvironmentVariable() {
    assertEquals(0, run(Map.of(), "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (var v : io.switchboard.config.EnvironmentOverrides.VARIABLES) {
      assertTrue(help.contains(v.name()), v.name());
    }
  }
}
