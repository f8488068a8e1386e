package io.switchboard.http.admin;

import static io.switchboard.http.admin.AdminApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.http.auth.Role;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's call handling over the admin API, against the real User and Directory entities: read,
 * partial update, forwarding replaced as a whole, the user's own number refused as a target, and
 * the usual 400/404 answers.
 */
class UserSettingsApiTest {
  private static AdminApiServer server;
  private static String owner;
  private static String tenant;
  private static String userId;

  @BeforeAll
  static void start() throws Exception {
    server = new AdminApiServer("UserSettingsApiTest");
    owner = server.issueToken(Role.OWNER, Optional.empty());
    tenant = "us-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, send("POST", "/api/v1/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Settings\"}")
        .statusCode());
    HttpResponse<String> user = send("POST", "/api/v1/tenants/" + tenant + "/users",
        "{\"displayName\":\"Bob\",\"extension\":\"200\"}");
    assertEquals(201, user.statusCode(), user.body());
    userId = json(user).get("id").asText();
    assertEquals(201, send("POST", "/api/v1/tenants/" + tenant + "/numbers",
        "{\"number\":\"+15550100200\",\"target\":{\"type\":\"extension\",\"extension\":\"200\"}}").statusCode());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    return server.send(method, path, Optional.of(owner), Optional.ofNullable(body));
  }

  static String settings() {
    return "/api/v1/tenants/" + tenant + "/users/" + userId + "/settings";
  }

  static void assertBadRequest(String body, String expected) throws Exception {
    HttpResponse<String> response = send("PUT", settings(), body);
    assertEquals(400, response.statusCode(), response.body());
    String message = json(response).get("error").get("message").asText();
    assertTrue(message.contains(expected), message);
  }

  @Test
  void settingsAreReadAndChangedFieldByField() throws Exception {
    JsonNode initial = json(send("GET", settings(), null));
    assertEquals("available", initial.get("presence").asText());
    assertTrue(initial.get("callWaiting").asBoolean());
    assertEquals("simultaneous", initial.get("ringMode").asText());
    assertEquals(30, initial.get("effectiveRingSeconds").asInt());
    assertEquals(0, initial.get("forwarding").size());

    HttpResponse<String> changed = send("PUT", settings(), "{\"callWaiting\":false,\"ringMode\":\"sequential\","
        + "\"ringSeconds\":15,\"forwarding\":{\"busy\":\"300\",\"noAnswer\":{\"target\":\"+4930123456\","
        + "\"afterSeconds\":20}}}");
    assertEquals(200, changed.statusCode(), changed.body());
    JsonNode now = json(changed);
    assertEquals(false, now.get("callWaiting").asBoolean());
    assertEquals("sequential", now.get("ringMode").asText());
    assertEquals(15, now.get("ringSeconds").asInt());
    assertEquals(20, now.get("effectiveRingSeconds").asInt(), "the no-answer rule's delay wins");
    assertEquals("300", now.get("forwarding").get("busy").asText());
    assertEquals("+4930123456", now.get("forwarding").get("noAnswer").get("target").asText());

    // A partial update leaves the rest; forwarding given replaces every rule.
    JsonNode dnd = json(send("PUT", settings(), "{\"presence\":\"do_not_disturb\",\"forwarding\":{\"always\":\"301\"}}"));
    assertEquals("do_not_disturb", dnd.get("presence").asText());
    assertEquals(false, dnd.get("callWaiting").asBoolean());
    assertEquals("301", dnd.get("forwarding").get("always").asText());
    assertTrue(dnd.get("forwarding").get("busy") == null, dnd.toString());
    assertEquals(dnd, json(send("GET", settings(), null)));

    JsonNode devices = json(send("GET", "/api/v1/tenants/" + tenant + "/users/" + userId + "/registrations", null));
    assertEquals(0, devices.get("registrations").size());
  }

  @Test
  void mistakesAreNamedAndNothingChanges() throws Exception {
    JsonNode before = json(send("GET", settings(), null));
    assertBadRequest("{\"presence\":\"sleeping\"}", "presence: must be one of");
    assertBadRequest("{\"callWaiting\":\"yes\"}", "callWaiting");
    assertBadRequest("{\"ringSeconds\":2}", "ringSeconds: must be 5 to 300");
    assertBadRequest("{\"forwarding\":{\"noAnswer\":{\"target\":\"300\"}}}", "forwarding.noAnswer.afterSeconds");
    assertBadRequest("{\"forwarding\":{\"sometimes\":\"300\"}}", "forwarding.sometimes: unknown field");
    assertBadRequest("{\"presence\":\"away\",\"forwarding\":{\"always\":\"+15550100200\"}}", "");
    assertBadRequest("{\"forwarding\":{\"always\":\"200\"}}", "");
    assertBadRequest("{\"colour\":\"red\"}", "colour: unknown field");
    assertBadRequest("{\"presence\":", "malformed JSON");
    JsonNode after = json(send("GET", settings(), null));
    assertEquals(before.get("forwarding"), after.get("forwarding"));
    assertEquals(before.get("presence"), after.get("presence"), "a refused request changed the presence");

    assertEquals(404, send("GET", "/api/v1/tenants/" + tenant + "/users/u-nobody/settings", null).statusCode());
    assertEquals(404, send("GET", "/api/v1/tenants/no-such-tenant/users/" + userId + "/settings", null)
        .statusCode());
    assertEquals(401, server.send("GET", settings(), Optional.empty(), Optional.empty()).statusCode());
  }
}
