package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.call.Call;
import io.switchboard.call.CallCommand;
import io.switchboard.call.Direction;
import io.switchboard.call.HangupCause;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.user.User;
import io.switchboard.config.Ports;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path on one real node: a tenant and users provisioned through the admin API, a device
 * registered with the User entity, calls routed by the Directory and User entities through the
 * Call entity, their records projected, and the calls API answering them, with its errors.
 */
class CallRecordsApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Node node;
  static String base;
  static String owner;
  static final String TENANT = "api-" + UUID.randomUUID().toString().substring(0, 8);
  static final String OTHER = "other-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(TestNodes.configuration(Ports.freePort(), List.of()));
    base = "http://127.0.0.1:" + node.configuration().http().port();
    owner = AdminClient.of(node).token();
    for (String tenant : List.of(TENANT, OTHER)) {
      assertEquals(201, send("POST", "/api/v1/tenants", owner,
          "{\"id\":\"" + tenant + "\",\"name\":\"Calls " + tenant + "\"}").statusCode());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    return new AdminClient(base, token).send(method, path, token, body);
  }

  static String userAt(String tenant, String extension) throws Exception {
    HttpResponse<String> user = send("POST", "/api/v1/tenants/" + tenant + "/users", owner,
        "{\"displayName\":\"User " + extension + "\",\"extension\":\"" + extension + "\"}");
    assertEquals(201, user.statusCode(), user.body());
    return JSON.readTree(user.body()).get("id").asText();
  }

  /** Calls {@code extension} of {@code tenant} from outside; the device answers and the caller hangs up. */
  static String answeredCall(String tenant, String extension, String userId) throws Exception {
    var system = node.system();
    TestProbe<LegCommand> device = TestProbe.create(system);
    TestProbe<LegCommand> caller = TestProbe.create(system);
    User.ref(system, tenant, userId).<Object>askWithStatus(r -> new User.Register(new Contact(
            "sip:" + userId + "@127.0.0.1", "desk", device.getRef(), Instant.now().plusSeconds(600)),
            (org.apache.pekko.actor.typed.ActorRef) r), Duration.ofSeconds(10))
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    String callId = "api-call-" + UUID.randomUUID();
    Call.ref(system, callId).<CallCommand.CallInfo>askWithStatus(r -> new CallCommand.Originate(tenant, "caller",
            new Party("+4930123456", "Customer"), Optional.empty(), caller.getRef(), extension, Direction.INBOUND,
            Optional.of("v=0 offer"), r), Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
    LegCommand.OfferLeg offer = device.expectMessageClass(LegCommand.OfferLeg.class, Duration.ofSeconds(20));
    Call.ref(system, callId).<Done>askWithStatus(r -> new CallCommand.LegAnswered(offer.legId(), "v=0 answer", r),
        Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
    caller.expectMessageClass(LegCommand.AnswerLeg.class, Duration.ofSeconds(10));
    Call.ref(system, callId).<Done>askWithStatus(r -> new CallCommand.LegHungUp("caller", HangupCause.NORMAL, r),
        Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
    return callId;
  }

  static JsonNode awaitListed(String query, String callId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> listed = send("GET", "/api/v1/calls" + query, owner, null);
      assertEquals(200, listed.statusCode(), listed.body());
      for (JsonNode call : JSON.readTree(listed.body()).get("calls")) {
        if (call.get("callId").asText().equals(callId)) {
          return call;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("call " + callId + " was not listed");
  }

  @Test
  void callsRoutedThroughTheDirectoryAreRecordedAndServed() throws Exception {
    String bob = userAt(TENANT, "200");
    String callId = answeredCall(TENANT, "200", bob);

    JsonNode record = awaitListed("?tenant=" + TENANT, callId);
    assertEquals("ANSWERED", record.get("disposition").asText());
    assertEquals("INBOUND", record.get("direction").asText());
    assertEquals("+4930123456", record.get("caller").get("address").asText());
    assertEquals("200", record.get("callee").get("address").asText());
    assertEquals("NORMAL", record.get("cause").asText());
    assertTrue(record.has("answeredAt"));

    // Filters.
    assertEquals(callId, awaitListed("?tenant=" + TENANT + "&extension=200&disposition=answered", callId)
        .get("callId").asText());
    JsonNode none = JSON.readTree(send("GET", "/api/v1/calls?tenant=" + TENANT + "&disposition=BUSY", owner, null)
        .body());
    assertEquals(0, none.get("calls").size());

    // One call with its history from the journal.
    HttpResponse<String> one = send("GET", "/api/v1/calls/" + callId + "?tenant=" + TENANT, owner, null);
    assertEquals(200, one.statusCode(), one.body());
    JsonNode detail = JSON.readTree(one.body());
    assertEquals("ended", detail.get("state").asText());
    List<String> types = new java.util.ArrayList<>();
    detail.get("events").forEach(e -> types.add(e.get("type").asText()));
    assertEquals(List.of("CallStarted", "RouteSelected", "RingStepStarted", "CallAnswered", "CallEnded"), types);
    assertEquals(callId, detail.get("record").get("callId").asText());

    // CSV export.
    HttpResponse<String> csv = send("GET", "/api/v1/calls?tenant=" + TENANT + "&format=csv", owner, null);
    assertEquals(200, csv.statusCode());
    assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertTrue(csv.body().startsWith("call_id,direction,caller,"), csv.body());
    assertTrue(csv.body().contains(callId + ",INBOUND,+4930123456,Customer,200,"), csv.body());

    // A tenant admin of another tenant sees nothing of it: 404, like an unknown call.
    HttpResponse<String> issued = send("POST", "/api/v1/tokens", owner,
        "{\"role\":\"admin\",\"tenantId\":\"" + OTHER + "\"}");
    assertEquals(201, issued.statusCode(), issued.body());
    String otherAdmin = JSON.readTree(issued.body()).get("token").asText();
    assertEquals(404, send("GET", "/api/v1/calls/" + callId, otherAdmin, null).statusCode());
    assertEquals(404, send("GET", "/api/v1/calls?tenant=" + TENANT, otherAdmin, null).statusCode());
    assertEquals(0, JSON.readTree(send("GET", "/api/v1/calls", otherAdmin, null).body()).get("calls").size());
    assertEquals(404, send("GET", "/api/v1/calls/no-such-call?tenant=" + TENANT, owner, null).statusCode());
  }

  @Test
  void theCallsApiNeedsATokenAndSaysWhatIsWrongWithAQuery() throws Exception {
    HttpResponse<String> anonymous = send("GET", "/api/v1/calls?tenant=" + TENANT, null, null);
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertEquals(401, send("GET", "/api/v1/calls/x", "sbt_0000000000000000_wrong", null).statusCode());
    for (String[] bad : new String[][] {
        {"?tenant=" + TENANT + "&from=yesterday", "from:"},
        {"?tenant=" + TENANT + "&to=%2B1000000000-01-01T00:00:00Z", "to: must be between"},
        {"?tenant=" + TENANT + "&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from: at most 366 days"},
        {"?tenant=" + TENANT + "&limit=0", "limit:"},
        {"?tenant=" + TENANT + "&disposition=MAYBE", "disposition:"},
        {"?tenant=" + TENANT + "&cursor=not-a-cursor!", "cursor:"},
        {"", "tenant:"}}) {
      HttpResponse<String> response = send("GET", "/api/v1/calls" + bad[0], owner, null);
      assertEquals(400, response.statusCode(), response.body());
      assertTrue(JSON.readTree(response.body()).get("error").get("message").asText().contains(bad[1]),
          response.body());
    }
  }
}
