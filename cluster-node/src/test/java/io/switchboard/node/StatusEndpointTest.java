package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.config.Ports;
import io.switchboard.persistence.cassandra.EmbeddedCassandra;
import io.switchboard.persistence.testkit.TestCassandra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The status API, status page, health checks and metrics of a running node, healthy and with Cassandra dead. */
class StatusEndpointTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aHealthyNodeReportsItselfUpWithCassandraConnectedAndServesHealthAndMetrics() throws Exception {
    NodeConfiguration conf = TestNodes.configuration(Ports.freePort(), List.of(), TestCassandra.contactPoint(),
        Map.of("switchboard.metrics.enabled", true));
    Node node = TestNodes.start(conf);
    try {
      String base = node.urls().statusApi().orElseThrow();
      HttpResponse<String> status = get(base);
      assertEquals(200, status.statusCode());
      assertEquals("application/json", status.headers().firstValue("Content-Type").orElse(""));
      JsonNode s = JSON.readTree(status.body());
      assertEquals("Up", s.at("/node/status").asText());
      assertEquals(1, s.at("/cluster/members").size());
      assertEquals("Up", s.at("/cluster/members/0/status").asText());
      assertEquals(List.of("api", "core", "edge", "media", "projection"),
          JSON.convertValue(s.at("/cluster/members/0/roles"), List.class));
      assertEquals("external", s.at("/cassandra/mode").asText());
      assertTrue(s.at("/cassandra/connected").asBoolean(), status.body());
      assertFalse(s.at("/cassandra/releaseVersion").asText().isEmpty());
      assertTrue(s.at("/installation/available").asBoolean(), status.body());
      assertTrue(s.at("/installation/nodeStarts").asLong() >= 1);

      HttpResponse<String> page = get(node.urls().statusPage().orElseThrow());
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      assertTrue(page.body().contains("<strong>Up</strong>"), page.body());
      assertTrue(page.body().contains(s.at("/installation/id").asText()));

      assertEquals(200, eventually(node.urls().ready(), r -> r.statusCode() == 200).statusCode());
      assertEquals(200, get(node.urls().alive()).statusCode());

      HttpResponse<String> metrics = eventually(node.urls().metrics().orElseThrow(),
          r -> r.body().contains("switchboard_cluster_members{status=\"up\"} 1.0"));
      assertTrue(metrics.body().contains("switchboard_cassandra_connected 1.0"), metrics.body());

      // Errors are JSON with the protocol's status.
      HttpResponse<String> missing = get(base.replace("/status", "/no-such-thing"));
      assertEquals(404, missing.statusCode());
      assertEquals("not_found", JSON.readTree(missing.body()).at("/error/code").asText());
      HttpResponse<String> wrongMethod = HTTP.send(HttpRequest.newBuilder(URI.create(base))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, wrongMethod.statusCode());
      assertEquals(405, JSON.readTree(wrongMethod.body()).at("/error/status").asInt());
    } finally {
      node.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }
  }

  @Test
  void whenCassandraDiesTheNodeKeepsAnsweringAndSaysSoAndIsNotReady() throws Exception {
    EmbeddedCassandra own = EmbeddedCassandra.start(
        TestCassandra.embeddedSettings(TestCassandra.freshDirectory("dies")), line -> {});
    Node node = null;
    try {
      node = TestNodes.start(TestNodes.configuration(Ports.freePort(), List.of(), own.contactPointString(),
          Map.of("switchboard.cassandra.probe-timeout", "1s")));
      String api = node.urls().statusApi().orElseThrow();
      assertTrue(JSON.readTree(get(api).body()).at("/cassandra/connected").asBoolean());

      own.stop();

      HttpResponse<String> status = eventually(api, r -> r.body().contains("\"connected\":false"));
      assertEquals(200, status.statusCode(), "the status API itself stays up");
      JsonNode s = JSON.readTree(status.body());
      assertFalse(s.at("/cassandra/error").asText().isEmpty(), status.body());
      assertEquals("Up", s.at("/node/status").asText());
      // Pekko Management answers a failed readiness check with 500 and "Not Healthy".
      HttpResponse<String> ready = eventually(node.urls().ready(), r -> r.statusCode() != 200);
      assertTrue(ready.body().startsWith("Not Healthy"), ready.body());
      assertEquals(200, get(node.urls().alive()).statusCode(), "alive: a restart would not bring Cassandra back");
    } finally {
      if (node != null) {
        node.stop().toCompletableFuture().get(120, TimeUnit.SECONDS);
      }
      own.stop();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> eventually(String url, Predicate<HttpResponse<String>> condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = get(url);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("condition not met for " + url + "; last answer " + last.statusCode() + ": "
        + last.body());
  }
}
