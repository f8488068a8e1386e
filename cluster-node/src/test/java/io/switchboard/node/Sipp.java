package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real SIPp (Debian's sip-tester) against a node on loopback. A missing sipp fails the
 * test: the README's test command installs it, and a skipped interop test would prove nothing.
 * Every run is bounded: one call ({@code -m 1}), SIPp's own timeout, and a hard process deadline.
 */
final class Sipp {
  static final Path SCENARIOS = Path.of("src/test/resources/sipp").toAbsolutePath();
  static final Path WORK = Path.of("target/sipp").toAbsolutePath();

  private Sipp() {}

  static String binary() {
    for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
      if (Files.isExecutable(Path.of(dir, "sipp"))) {
        return dir + "/sipp";
      }
    }
    fail("sipp is not installed: run the tests with './switchboard test', which installs sip-tester");
    throw new IllegalStateException();
  }

  /** A started sipp process running {@code scenario} once from {@code localPort} to {@code target}. */
  static Process start(String scenario, int localPort, String target, List<String> extra) throws IOException {
    return start(scenario, "127.0.0.1", localPort, target, extra);
  }

  /** As above, from {@code localIp} (another loopback address plays another host, e.g. a carrier). */
  static Process start(String scenario, String localIp, int localPort, String target, List<String> extra)
      throws IOException {
    Files.createDirectories(WORK);
    List<String> cmd = new ArrayList<>(List.of(binary(), "-sf", SCENARIOS.resolve(scenario + ".xml").toString(),
        "-i", localIp, "-p", Integer.toString(localPort), "-m", "1", "-nostdin", "-timeout", "40s",
        "-timeout_error", "-trace_err", "-error_file", WORK.resolve(scenario + "-" + localPort + "-errors.log").toString(),
        "-trace_msg", "-message_file", WORK.resolve(scenario + "-" + localPort + "-messages.log").toString(),
        "-mp", Integer.toString(20000 + (localPort % 10000))));
    cmd.addAll(extra);
    if (!target.isEmpty()) {
      cmd.add(target);
    }
    return new ProcessBuilder(cmd).directory(WORK.toFile()).redirectErrorStream(true)
        .redirectOutput(WORK.resolve(scenario + "-" + localPort + ".out").toFile()).start();
  }

  /** Waits for sipp to finish and fails with its error log unless it passed its one call. */
  static void expectSuccess(Process p, String scenario, int localPort) throws Exception {
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("sipp " + scenario + " did not finish within 60 s" + logs(scenario, localPort));
    }
    if (p.exitValue() != 0) {
      fail("sipp " + scenario + " failed (exit " + p.exitValue() + ")" + logs(scenario, localPort));
    }
  }

  static String logs(String scenario, int localPort) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String suffix : List.of("-errors.log", "-messages.log")) {
      Path f = WORK.resolve(scenario + "-" + localPort + suffix);
      if (Files.exists(f)) {
        String text = Files.readString(f);
        b.append("\n--- ").append(f.getFileName()).append(" ---\n")
            .append(text.length() > 6000 ? text.substring(text.length() - 6000) : text);
      }
    }
    return b.toString();
  }
}
