package io.switchboard.sip.message;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The RFC 4475 corpus shared by the torture and fuzz tests. */
final class SipTorture {

  /**
   * Surefire runs in the module directory. The corpus is a copy of the team's shared conformance
   * data (`../shared/conformance/sip-rfc4475`), kept in the repository so that a clone anywhere
   * (CI included) runs it; its SHA256SUMS are checked by {@code SipTortureTest}.
   */
  static final String DEFAULT_DIR = "src/test/resources/conformance/sip-rfc4475";

  record Row(String file, String section, String expectation, String note) {
    @Override
    public String toString() {
      return file + " (" + section + ", " + expectation + ")";
    }
  }

  private SipTorture() {}

  static Path dir() {
    Path dir = Path.of(System.getProperty("switchboard.conformance.dir", DEFAULT_DIR)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("expectations.tsv"))) {
      // Fail, never skip: a missing corpus must not turn the conformance tests green.
      fail("RFC 4475 corpus not found: " + dir.resolve("expectations.tsv")
          + " (set -Dswitchboard.conformance.dir=<dir with expectations.tsv>)");
    }
    return dir;
  }

  static List<Row> rows() {
    try {
      List<String> lines = Files.readAllLines(dir().resolve("expectations.tsv"), StandardCharsets.UTF_8);
      List<Row> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] cols = line.split("\t", -1);
        if (cols.length != 4) {
          fail("expectations.tsv: expected 4 columns in: " + line);
        }
        rows.add(new Row(cols[0], cols[1], cols[2], cols[3]));
      }
      return rows;
    } catch (IOException e) {
      return fail("cannot read expectations.tsv", e);
    }
  }

  static byte[] bytes(String file) {
    try {
      return Files.readAllBytes(dir().resolve(file));
    } catch (IOException e) {
      return fail("cannot read " + file, e);
    }
  }
}
