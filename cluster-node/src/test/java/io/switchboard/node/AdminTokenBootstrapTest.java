package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.config.Ports;
import io.switchboard.persistence.testkit.TestCassandra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first start of an installation writes an owner token to {@code <data-dir>/admin-token}
 * (rw------- from creation), names the file in its start output, and the token works; a later
 * start keeps the file as it is; another node of the installation writes none.
 */
class AdminTokenBootstrapTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theFirstStartWritesTheOwnerTokenOnceAndLaterStartsKeepIt() throws Exception {
    // A journal of its own: the other tests of this JVM have bootstrapped the shared one already.
    String suffix = Long.toString(System.nanoTime());
    Map<String, Object> installation = Map.of(
        "switchboard.cassandra.journal-keyspace", "bootstrap_journal_" + suffix,
        "switchboard.cassandra.snapshot-keyspace", "bootstrap_snapshot_" + suffix);
    Path dataDir = Path.of("target", "test-nodes", "bootstrap-" + suffix).toAbsolutePath();
    Path tokenFile = dataDir.resolve("admin-token");
    int clusterPort = Ports.freePort();

    List<String> firstStart = new ArrayList<>();
    Node first = start(clusterPort, List.of(), dataDir, installation, firstStart);
    String token;
    FileTime written;
    try {
      assertTrue(firstStart.contains("Owner token written to " + tokenFile
          + " (readable by this user only): use it as Bearer token"), String.join("\n", firstStart));
      assertTrue(Main.readyLine(first.urls(), first.adminTokenFile(), Path.of("switchboard.log"))
          .contains("owner token: " + tokenFile));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
      token = Files.readString(tokenFile).trim();
      assertTrue(token.matches("sbt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"));
      written = Files.getLastModifiedTime(tokenFile);
      String api = first.urls().statusApi().orElseThrow().replace("/status", "");
      assertEquals(200, get(api + "/tenants", token).statusCode());
      assertEquals(401, get(api + "/tenants", "").statusCode());
      assertEquals(200, get(api + "/status", "").statusCode(), "the status stays open");
      assertFalse(String.join("\n", firstStart).contains(token.substring(21)), "the start output never shows it");

      // A second node of the same installation: the token store already has a token.
      Path otherDir = Path.of("target", "test-nodes", "bootstrap-other-" + suffix).toAbsolutePath();
      List<String> otherStart = new ArrayList<>();
      Node other = start(Ports.freePort(), List.of("pekko://switchboard@127.0.0.1:" + clusterPort), otherDir,
          installation, otherStart);
      try {
        assertTrue(otherStart.contains("Admin API tokens already exist; no owner token file written"),
            String.join("\n", otherStart));
        assertFalse(Files.exists(otherDir.resolve("admin-token")));
        assertEquals(Collections.emptyList(), other.adminTokenFile().stream().toList());
      } finally {
        other.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
      }
    } finally {
      first.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }

    List<String> secondStart = new ArrayList<>();
    Node again = start(clusterPort, List.of(), dataDir, installation, secondStart);
    try {
      assertTrue(secondStart.contains("Owner token: in " + tokenFile), String.join("\n", secondStart));
      assertEquals(token, Files.readString(tokenFile).trim(), "not rewritten");
      assertEquals(written, Files.getLastModifiedTime(tokenFile));
      String api = again.urls().statusApi().orElseThrow().replace("/status", "");
      assertEquals(200, get(api + "/tenants", token).statusCode(), "the token survived the restart");
    } finally {
      again.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }
  }

  private static Node start(int clusterPort, List<String> seeds, Path dataDir, Map<String, Object> installation,
                            List<String> progress) {
    Map<String, Object> overrides = new java.util.HashMap<>(installation);
    overrides.put("switchboard.data-dir", dataDir.toString());
    NodeConfiguration conf = TestNodes.configuration(clusterPort, seeds, TestCassandra.contactPoint(), overrides);
    return Node.start(conf, line -> {
      synchronized (progress) {
        progress.add(line);
      }
    });
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15));
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
