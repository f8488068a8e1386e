package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.config.Ports;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIPp through a running node: Bob's SIPp registers with digest authentication and then plays the
 * callee; Alice's SIPp authenticates its INVITE (407) and plays the caller. Every scenario must pass
 * on both sides and leave exactly one call record with the right disposition.
 */
class SipCallsTest {
  static final String TENANT = "sipp" + UUID.randomUUID().toString().substring(0, 6);
  static final String DOMAIN = TENANT + ".switchboard";
  static int sipPort;
  /** Bob's phone keeps its address across the scenarios, as a desk phone does: one binding, refreshed. */
  static int bobPort;
  static Node node;
  static AdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    sipPort = Ports.freePort();
    bobPort = Ports.freePort();
    node = TestNodes.start(TestNodes.configuration(Ports.freePort(), List.of(),
        io.switchboard.persistence.testkit.TestCassandra.contactPoint(),
        Map.of("switchboard.sip.port", sipPort, "switchboard.sip.tls-port", 0, "switchboard.sip.ws-port", 0)));
    admin = AdminClient.of(node);
    assertEquals(201, send("POST", "/api/v1/tenants", "{\"id\":\"" + TENANT + "\",\"name\":\"SIPp\"}").statusCode());
    for (String[] u : List.of(new String[] {"alice", "201"}, new String[] {"bob", "202"})) {
      HttpResponse<String> r = send("POST", "/api/v1/tenants/" + TENANT + "/users", "{\"displayName\":\"" + u[0]
          + "\",\"extension\":\"" + u[1] + "\",\"sipUsername\":\"" + u[0] + "\",\"sipPassword\":\"" + u[0]
          + "-secret-1\"}");
      assertEquals(201, r.statusCode(), r.body());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    return admin.send(method, path, body);
  }

  /** Bob registers from a fresh port, plays {@code uas}, Alice plays {@code uac}; returns the new call record. */
  static JsonNode call(String uac, String uas) throws Exception {
    int before = records().size();
    String target = "127.0.0.1:" + sipPort;
    Process bob = registeredBobPlaying(uas);
    int alicePort = Ports.freePort();
    Process alice = Sipp.start(uac, alicePort, target, List.of("-s", "202", "-key", "domain", DOMAIN,
        "-key", "caller", "alice", "-au", "alice", "-ap", "alice-secret-1"));
    try {
      Sipp.expectSuccess(alice, uac, alicePort);
      Sipp.expectSuccess(bob, uas, bobPort);
    } finally {
      alice.destroyForcibly();
      bob.destroyForcibly();
    }
    return awaitNewRecord(before);
  }

  /** Bob's SIPp registers with digest auth, then plays callee scenario {@code uas} from the same port. */
  static Process registeredBobPlaying(String uas) throws Exception {
    Process register = Sipp.start("register", bobPort, "127.0.0.1:" + sipPort,
        List.of("-s", "bob", "-key", "domain", DOMAIN, "-au", "bob", "-ap", "bob-secret-1"));
    Sipp.expectSuccess(register, "register", bobPort);
    return Sipp.start(uas, bobPort, "", List.of("-key", "domain", DOMAIN));
  }

  /** The one call record that appears after {@code before} records; fails if none or more than one. */
  static JsonNode awaitNewRecord(int before) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<JsonNode> now = records();
    while (now.size() == before && System.nanoTime() < deadline) {
      Thread.sleep(300);
      now = records();
    }
    Thread.sleep(1000);
    now = records();
    assertEquals(before + 1, now.size(), "exactly one new call record: " + now);
    return now.get(0);
  }

  static List<JsonNode> records() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/calls?tenant=" + TENANT + "&limit=100", null);
    assertEquals(200, r.statusCode(), r.body());
    List<JsonNode> out = new java.util.ArrayList<>();
    CallRecordsApiTest.JSON.readTree(r.body()).get("calls").forEach(out::add);
    return out;
  }

  static void assertRecord(JsonNode record, String disposition) {
    assertEquals(disposition, record.get("disposition").asText(), record.toString());
    assertEquals("201", record.get("caller").get("address").asText(), record.toString());
    assertEquals("202", record.get("callee").get("address").asText(), record.toString());
  }

  @Test
  void basicCall() throws Exception {
    assertRecord(call("uac_call", "uas_answer"), "ANSWERED");
  }

  @Test
  void calleeBusy() throws Exception {
    assertRecord(call("uac_busy", "uas_busy"), "BUSY");
  }

  @Test
  void callerCancelsWhileRinging() throws Exception {
    assertRecord(call("uac_cancel", "uas_ring"), "CANCELLED");
  }

  @Test
  void calleeHangsUp() throws Exception {
    assertRecord(call("uac_callee_bye", "uas_bye"), "ANSWERED");
  }

  @Test
  void lateOfferTheCallerAnswersInItsAck() throws Exception {
    assertRecord(call("uac_lateoffer", "uas_lateoffer"), "ANSWERED");
  }

  @Test
  void aCarrierCallsADidOverATrunkWithoutDigest() throws Exception {
    String carrier = "127.0.0.3";
    HttpResponse<String> trunk = send("POST", "/api/v1/tenants/" + TENANT + "/trunks", "{\"id\":\"carrier\","
        + "\"name\":\"Carrier\",\"host\":\"" + carrier + "\",\"port\":5060,\"transport\":\"udp\","
        + "\"allowedSources\":[\"" + carrier + "/32\"]}");
    assertEquals(201, trunk.statusCode(), trunk.body());
    HttpResponse<String> did = send("POST", "/api/v1/tenants/" + TENANT + "/numbers",
        "{\"number\":\"+4930555123\",\"target\":{\"type\":\"extension\",\"extension\":\"202\"}}");
    assertEquals(201, did.statusCode(), did.body());
    // The edge reads trunks in the background (every 5 s).
    Thread.sleep(7000);
    int before = records().size();
    String target = "127.0.0.1:" + sipPort;
    Process bob = registeredBobPlaying("uas_answer");
    int carrierPort = Ports.freePort();
    Process call = Sipp.start("uac_trunk", carrier, carrierPort, target, List.of("-s", "+4930555123",
        "-key", "caller", "+4915112345678"));
    try {
      Sipp.expectSuccess(call, "uac_trunk", carrierPort);
      Sipp.expectSuccess(bob, "uas_answer", bobPort);
    } finally {
      call.destroyForcibly();
      bob.destroyForcibly();
    }
    JsonNode record = awaitNewRecord(before);
    assertEquals("ANSWERED", record.get("disposition").asText(), record.toString());
    assertEquals("INBOUND", record.get("direction").asText(), record.toString());
    assertEquals("+4915112345678", record.get("caller").get("address").asText(), record.toString());
  }

  @Test
  void theEdgeRegistersATrunkWithItsCarrierAnsweringTheChallenge() throws Exception {
    String carrier = "127.0.0.4";
    int carrierPort = Ports.freePort();
    Process registrar = Sipp.start("carrier_registrar", carrier, carrierPort, "", List.of());
    try {
      HttpResponse<String> trunk = send("POST", "/api/v1/tenants/" + TENANT + "/trunks", "{\"id\":\"upstream\","
          + "\"name\":\"Upstream\",\"host\":\"" + carrier + "\",\"port\":" + carrierPort + ","
          + "\"transport\":\"udp\",\"allowedSources\":[],\"register\":true,\"username\":\"trunkuser\","
          + "\"realm\":\"carrier.test\",\"password\":\"trunk-secret\"}");
      assertEquals(201, trunk.statusCode(), trunk.body());
      // Picked up by the trunk table (5 s) and the registration tick (2 s); SIPp passes only on a valid digest.
      Sipp.expectSuccess(registrar, "carrier_registrar", carrierPort);
    } finally {
      registrar.destroyForcibly();
      send("DELETE", "/api/v1/tenants/" + TENANT + "/trunks/upstream", null);
    }
  }

  @Test
  void holdAndResume() throws Exception {
    assertRecord(call("uac_hold", "uas_hold"), "ANSWERED");
  }

  @Test
  void noAnswerEndsWithCancelToTheCallee() throws Exception {
    String bob = userId("bob");
    assertEquals(200, send("PUT", "/api/v1/tenants/" + TENANT + "/users/" + bob + "/settings",
        "{\"ringSeconds\":5}").statusCode());
    try {
      assertRecord(call("uac_noanswer", "uas_ring"), "NO_ANSWER");
    } finally {
      send("PUT", "/api/v1/tenants/" + TENANT + "/users/" + bob + "/settings", "{\"ringSeconds\":30}");
    }
  }

  static String userId(String sipUsername) throws Exception {
    JsonNode users = CallRecordsApiTest.JSON.readTree(send("GET", "/api/v1/tenants/" + TENANT + "/users", null).body());
    for (JsonNode u : users.get("users")) {
      if (u.get("sipUsername").asText().equals(sipUsername)) {
        return u.get("id").asText();
      }
    }
    throw new AssertionError("no user " + sipUsername + " in " + users);
  }

  @Test
  void twoBaresipPhonesRegisterCallByExtensionSendDtmfAndHangUp() throws Exception {
    int before = records().size();
    try (Baresip alice = Baresip.start("alice", "alice-secret-1", DOMAIN, sipPort, Ports.freePort(), Ports.freePort(),
        21000, false);
         Baresip bob = Baresip.start("bob", "bob-secret-1", DOMAIN, sipPort, Ports.freePort(), Ports.freePort(),
             21200, true)) {
      awaitRegistered(alice);
      awaitRegistered(bob);
      assertTrue(alice.command("dial", "202").path("ok").asBoolean(), "dial accepted");
      assertTrue(alice.await("CALL_ESTABLISHED", Duration.ofSeconds(15)).isPresent(), "alice: call established\n"
          + alice.log());
      assertTrue(bob.await("CALL_ESTABLISHED", Duration.ofSeconds(5)).isPresent(), "bob: call established");
      // Media flows end to end (SDP passes through the edge): each phone hears the other.
      assertTrue(alice.await("CALL_RTPESTAB", Duration.ofSeconds(10)).isPresent(), "alice receives RTP");
      assertTrue(bob.await("CALL_RTPESTAB", Duration.ofSeconds(10)).isPresent(), "bob receives RTP");
      for (String digit : List.of("1", "2", "#")) {
        alice.command("sndcode", digit);
        Thread.sleep(250);
      }
      StringBuilder heard = new StringBuilder();
      bob.collect("CALL_DTMF_START", Duration.ofSeconds(3)).forEach(e -> heard.append(e.path("param").asText()));
      assertEquals("12#", heard.toString(), "bob hears Alice's DTMF");
      alice.command("hangup", "");
      assertTrue(alice.await("CALL_CLOSED", Duration.ofSeconds(10)).isPresent(), "alice: call closed");
      assertTrue(bob.await("CALL_CLOSED", Duration.ofSeconds(10)).isPresent(), "bob: call closed\n" + bob.log());
    }
    assertRecord(awaitNewRecord(before), "ANSWERED");
  }

  @Test
  void aBlindTransferFromABaresipPhoneConnectsTheOtherPartyWithTheTarget() throws Exception {
    HttpResponse<String> carolUser = send("POST", "/api/v1/tenants/" + TENANT + "/users",
        "{\"displayName\":\"carol\",\"extension\":\"203\",\"sipUsername\":\"carol\",\"sipPassword\":\"carol-secret-1\"}");
    assertTrue(carolUser.statusCode() == 201 || carolUser.statusCode() == 409, carolUser.body());
    int before = records().size();
    try (Baresip alice = Baresip.start("alice", "alice-secret-1", DOMAIN, sipPort, Ports.freePort(), Ports.freePort(),
        21000, false);
         Baresip bob = Baresip.start("bob", "bob-secret-1", DOMAIN, sipPort, Ports.freePort(), Ports.freePort(),
             21200, true);
         Baresip carol = Baresip.start("carol", "carol-secret-1", DOMAIN, sipPort, Ports.freePort(), Ports.freePort(),
             21400, true)) {
      awaitRegistered(alice);
      awaitRegistered(bob);
      awaitRegistered(carol);
      assertTrue(alice.command("dial", "202").path("ok").asBoolean(), "dial accepted");
      assertTrue(bob.await("CALL_ESTABLISHED", Duration.ofSeconds(15)).isPresent(), "bob answers\n" + bob.log());
      assertTrue(alice.await("CALL_ESTABLISHED", Duration.ofSeconds(5)).isPresent(), "alice connected");
      // Alice transfers Bob to Carol (REFER): Carol's phone rings and answers, Alice is released.
      assertTrue(alice.command("transfer", "203").path("ok").asBoolean(), "transfer accepted\n" + alice.log());
      assertTrue(carol.await("CALL_ESTABLISHED", Duration.ofSeconds(15)).isPresent(), "carol answers\n" + carol.log());
      assertTrue(alice.await("CALL_CLOSED", Duration.ofSeconds(15)).isPresent(), "alice released\n" + alice.log());
      // Bob and Carol now hear each other: Carol's DTMF reaches Bob over the media Bob was re-INVITEd to.
      Thread.sleep(1500);
      carol.command("sndcode", "5");
      Thread.sleep(250);
      carol.command("sndcode", "7");
      StringBuilder heard = new StringBuilder();
      bob.collect("CALL_DTMF_START", Duration.ofSeconds(4)).forEach(e -> heard.append(e.path("param").asText()));
      assertEquals("57", heard.toString(), "bob hears carol\n" + bob.log());
      carol.command("hangup", "");
      assertTrue(bob.await("CALL_CLOSED", Duration.ofSeconds(10)).isPresent(), "bob's call ends with carol's");
    }
    JsonNode record = awaitNewRecord(before);
    assertEquals("ANSWERED", record.get("disposition").asText(), record.toString());
  }

  /** baresip emits REGISTER_OK before a control client connects, so poll its registration state. */
  static void awaitRegistered(Baresip phone) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      String info = phone.command("reginfo", "").path("data").asText().replaceAll("\u001b\\[[0-9;]*m", "");
      if (info.contains("OK")) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("phone did not register:\n" + phone.log());
  }
}
