package io.switchboard.http.admin;

import static io.switchboard.http.admin.AdminApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.call.directory.DigestCredentials;
import io.switchboard.call.directory.Directory;
import io.switchboard.http.auth.Role;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP against real entities on a real Cassandra. */
class AdminApiTest {
  private static AdminApiServer server;
  private static String owner;

  @BeforeAll
  static void start() throws Exception {
    server = new AdminApiServer("AdminApiTest");
    owner = server.issueToken(Role.OWNER, Optional.empty());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  // --- a tiny client ---

  private static HttpResponse<String> get(String token, String path) throws Exception {
    return server.send("GET", path, Optional.ofNullable(token), Optional.empty());
  }

  private static HttpResponse<String> post(String token, String path, String body) throws Exception {
    return server.send("POST", path, Optional.ofNullable(token), Optional.of(body));
  }

  private static HttpResponse<String> put(String token, String path, String body) throws Exception {
    return server.send("PUT", path, Optional.ofNullable(token), Optional.of(body));
  }

  private static HttpResponse<String> delete(String token, String path) throws Exception {
    return server.send("DELETE", path, Optional.ofNullable(token), Optional.empty());
  }

  private static void assertError(int status, String message, HttpResponse<String> response) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode error = json(response).get("error");
    assertEquals(status, error.get("status").asInt());
    assertEquals(message, error.get("message").asText());
  }

  private static String newTenant() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created = post(owner, "/api/v1/tenants",
        "{\"id\":\"" + id + "\",\"name\":\"Acme\",\"countryCode\":\"49\"}");
    assertEquals(201, created.statusCode(), created.body());
    return id;
  }

  private static String createUser(String tenant, String extension) throws Exception {
    HttpResponse<String> user = post(owner, "/api/v1/tenants/" + tenant + "/users",
        "{\"displayName\":\"User " + extension + "\",\"extension\":\"" + extension + "\"}");
    assertEquals(201, user.statusCode(), user.body());
    return json(user).get("id").asText();
  }

  // --- authentication ---

  @Test
  void guessingSecretsOfATokenIdIsCutOffWithoutLockingOutItsVerifiedHolder() throws Exception {
    String tenant = newTenant();
    String verifiedToken = json(post(owner, "/api/v1/tokens", "{\"role\":\"admin\",\"tenantId\":\"" + tenant
        + "\"}")).get("token").asText();
    String unverifiedToken = json(post(owner, "/api/v1/tokens", "{\"role\":\"admin\",\"tenantId\":\"" + tenant
        + "\"}")).get("token").asText();
    assertEquals(200, get(verifiedToken, "/api/v1/tenants/" + tenant).statusCode());
    for (String token : java.util.List.of(verifiedToken, unverifiedToken)) {
      String id = token.substring(0, "sbt_".length() + 16 + 1); // sbt_<16 hex id>_, the secret may hold '_'
      assertTrue(id.matches("sbt_[0-9a-f]{16}_"), id);
      for (int i = 0; i < io.switchboard.http.auth.ApiAuth.MAX_FAILURES + 2; i++) {
        String guess = id + "A".repeat(42) + (char) ('a' + i);
        assertEquals(401, get(guess, "/api/v1/tenants/" + tenant).statusCode());
      }
    }
    // The holder this node already verified keeps working; a token never verified here waits out
    // the window, like the guesses.
    assertEquals(200, get(verifiedToken, "/api/v1/tenants/" + tenant).statusCode());
    assertEquals(401, get(unverifiedToken, "/api/v1/tenants/" + tenant).statusCode());
  }

  @Test
  void everyEndpointButStatusAndTheDocumentNeedsAValidToken() throws Exception {
    for (HttpResponse<String> response : List.of(get(null, "/api/v1/tenants"),
        get("sbt_0123456789abcdef_" + "A".repeat(43), "/api/v1/tenants"),
        get("not-a-token", "/api/v1/tokens"),
        post(null, "/api/v1/tenants", "{}"),
        delete(null, "/api/v1/tenants/acme/users/u-1"))) {
      assertEquals(401, response.statusCode(), response.body());
      assertEquals("Bearer realm=\"switchboard\"", response.headers().firstValue("WWW-Authenticate").orElse(""));
      assertEquals(401, json(response).at("/error/status").asInt());
    }
    // A real token id with a wrong secret.
    String tokenId = owner.substring(4, 20);
    assertEquals(401, get("sbt_" + tokenId + "_" + "B".repeat(43), "/api/v1/tenants").statusCode());

    HttpResponse<String> document = get(null, AdminRoutes.OPENAPI_PATH);
    assertEquals(200, document.statusCode());
    assertEquals("3.0.3", json(document).get("openapi").asText());
  }

  @Test
  void aTokenIsShownOnceWorksAndStopsWorkingWhenRevoked() throws Exception {
    HttpResponse<String> created = post(owner, "/api/v1/tokens", "{\"role\":\"owner\",\"description\":\"ci\"}");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode token = json(created);
    String value = token.get("token").asText();
    String id = token.get("id").asText();
    assertTrue(value.startsWith("sbt_" + id + "_"), value);
    assertEquals("/api/v1/tokens/" + id, created.headers().firstValue("Location").orElse(""));

    assertEquals(200, get(value, "/api/v1/tenants").statusCode());
    HttpResponse<String> listed = get(owner, "/api/v1/tokens");
    assertTrue(listed.body().contains(id));
    assertFalse(listed.body().contains(value.substring(21)), "the secret is never listed");
    assertFalse(listed.body().contains("$2"), "nor its hash");
    assertFalse(get(owner, "/api/v1/tokens/" + id).body().contains("\"token\""));

    assertEquals(204, delete(owner, "/api/v1/tokens/" + id).statusCode());
    assertEquals(401, get(value, "/api/v1/tenants").statusCode(), "revoked at once");
    assertEquals(204, delete(owner, "/api/v1/tokens/" + id).statusCode(), "revoking again is harmless");
    assertError(404, "token 0000000000000000 does not exist", delete(owner, "/api/v1/tokens/0000000000000000"));
  }

  // --- tenant scoping ---

  @Test
  void aTenantAdminSeesOnlyItsTenantAndCannotTellOtherTenantsFromMissingOnes() throws Exception {
    String mine = newTenant();
    String other = newTenant();
    createUser(other, "201");
    HttpResponse<String> issued = post(owner, "/api/v1/tokens",
        "{\"role\":\"admin\",\"tenantId\":\"" + mine + "\"}");
    assertEquals(201, issued.statusCode(), issued.body());
    String admin = json(issued).get("token").asText();

    assertEquals(200, get(admin, "/api/v1/tenants/" + mine + "/users").statusCode());
    assertError(404, "tenant " + other + " does not exist", get(admin, "/api/v1/tenants/" + other + "/users"));
    assertError(404, "tenant " + other + " does not exist", get(admin, "/api/v1/tenants/" + other));
    assertError(404, "tenant nobody does not exist", get(admin, "/api/v1/tenants/nobody"));
    assertError(404, "tenant " + other + " does not exist",
        post(admin, "/api/v1/tenants/" + other + "/users", "{\"displayName\":\"X\",\"extension\":\"299\"}"));
    JsonNode tenants = json(get(admin, "/api/v1/tenants")).get("tenants");
    assertEquals(1, tenants.size());
    assertEquals(mine, tenants.get(0).get("id").asText());

    assertError(403, "only an owner token may create tenants",
        post(admin, "/api/v1/tenants", "{\"id\":\"sneaky\",\"name\":\"Sneaky\"}"));
    assertError(403, "a tenant admin token may only create admin tokens of its own tenant",
        post(admin, "/api/v1/tokens", "{\"role\":\"owner\"}"));
    assertError(404, "tenant " + other + " does not exist",
        post(admin, "/api/v1/tokens", "{\"role\":\"admin\",\"tenantId\":\"" + other + "\"}"));
    HttpResponse<String> colleague = post(admin, "/api/v1/tokens", "{\"role\":\"admin\"}");
    assertEquals(201, colleague.statusCode(), colleague.body());
    assertEquals(mine, json(colleague).get("tenantId").asText());
    JsonNode visible = json(get(admin, "/api/v1/tokens")).get("tokens");
    for (JsonNode t : visible) {
      assertEquals(mine, t.get("tenantId").asText(), "a tenant admin lists its tenant's tokens only");
    }
    assertError(404, "token " + owner.substring(4, 20) + " does not exist",
        delete(admin, "/api/v1/tokens/" + owner.substring(4, 20)));
  }

  // --- tenants ---

  @Test
  void tenantsAreCreatedReadUpdatedListedAndDeleted() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created = post(owner, "/api/v1/tenants", "{\"id\":\"" + id + "\",\"name\":\"Acme\"}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("/api/v1/tenants/" + id, created.headers().firstValue("Location").orElse(""));
    JsonNode tenant = json(created);
    assertEquals(id + ".switchboard", tenant.get("sipRealm").asText());
    assertEquals("1", tenant.get("countryCode").asText());

    assertEquals(tenant, json(get(owner, "/api/v1/tenants/" + id)));
    assertTrue(get(owner, "/api/v1/tenants").body().contains("\"" + id + "\""));
    HttpResponse<String> updated = put(owner, "/api/v1/tenants/" + id,
        "{\"name\":\"Acme GmbH\",\"sipRealm\":\"sip.acme.example\",\"countryCode\":\"49\"}");
    assertEquals(200, updated.statusCode(), updated.body());
    assertEquals("Acme GmbH", json(updated).get("name").asText());
    assertError(409, "tenant " + id + " already exists",
        post(owner, "/api/v1/tenants", "{\"id\":\"" + id + "\",\"name\":\"Other\"}"));

    String tenantAdmin = json(post(owner, "/api/v1/tokens", "{\"role\":\"admin\",\"tenantId\":\"" + id + "\"}"))
        .get("token").asText();
    assertEquals(200, get(tenantAdmin, "/api/v1/tenants/" + id).statusCode());
    assertEquals(204, delete(owner, "/api/v1/tenants/" + id).statusCode());
    assertEquals(401, get(tenantAdmin, "/api/v1/tenants/" + id).statusCode(), "its admins' tokens are revoked");
    assertError(404, "tenant " + id + " does not exist", get(owner, "/api/v1/tenants/" + id));
    assertError(404, "tenant " + id + " does not exist", get(owner, "/api/v1/tenants/" + id + "/users"));
    assertFalse(get(owner, "/api/v1/tenants").body().contains("\"" + id + "\""));
  }

  // --- users, with the password write-only ---

  @Test
  void usersRoundTripAndTheSipPasswordIsStoredAsHashesOnly() throws Exception {
    String tenant = newTenant();
    String path = "/api/v1/tenants/" + tenant + "/users";
    String password = "correct horse battery";
    HttpResponse<String> created = post(owner, path, "{\"displayName\":\"Alice\",\"extension\":\"201\","
        + "\"email\":\"alice@example.com\",\"sipUsername\":\"alice\",\"sipPassword\":\"" + password + "\"}");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode user = json(created);
    String id = user.get("id").asText();
    assertEquals(path + "/" + id, created.headers().firstValue("Location").orElse(""));
    assertEquals("current", user.get("sipPassword").asText());
    assertFalse(created.body().contains(password));

    // What the SIP edge gets: HA1 = MD5/SHA-256 of username:realm:password (RFC 2617, RFC 8760).
    String realm = tenant + ".switchboard";
    DigestCredentials digest = Directory.ref(server.kit.system(), tenant)
        .<DigestCredentials>askWithStatus(r -> new Directory.GetSipCredentials("alice", r), Duration.ofSeconds(15))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(SipPasswords.digest("MD5", "alice:" + realm + ":" + password), digest.ha1Md5());
    assertEquals(SipPasswords.digest("SHA-256", "alice:" + realm + ":" + password), digest.ha1Sha256());
    for (String body : List.of(get(owner, path).body(), get(owner, path + "/" + id).body())) {
      assertFalse(body.contains(digest.ha1Md5()) || body.contains(digest.ha1Sha256()) || body.contains("$2"),
          "no hash leaves the API: " + body);
    }

    HttpResponse<String> updated = put(owner, path + "/" + id,
        "{\"displayName\":\"Alice B.\",\"extension\":\"202\",\"sipUsername\":\"alice\"}");
    assertEquals(200, updated.statusCode(), updated.body());
    JsonNode after = json(updated);
    assertEquals("Alice B.", after.get("displayName").asText());
    assertTrue(after.get("email").isNull(), "left out on PUT: cleared");
    assertEquals("current", after.get("sipPassword").asText(), "left out on PUT: the password stays");
    assertEquals(after, json(get(owner, path + "/" + id)));
    assertEquals(1, json(get(owner, path)).get("users").size());

    // A new realm makes the password stale, visibly.
    put(owner, "/api/v1/tenants/" + tenant, "{\"name\":\"Acme\",\"sipRealm\":\"sip.example\",\"countryCode\":\"49\"}");
    assertEquals("stale", json(get(owner, path + "/" + id)).get("sipPassword").asText());

    assertEquals(204, delete(owner, path + "/" + id).statusCode());
    assertError(404, "user " + id + " does not exist", get(owner, path + "/" + id));
  }

  // --- ring groups, numbers, business hours ---

  @Test
  void ringGroupsNumbersAndBusinessHoursRoundTrip() throws Exception {
    String tenant = newTenant();
    String t = "/api/v1/tenants/" + tenant;
    String alice = createUser(tenant, "201");
    String bob = createUser(tenant, "202");

    HttpResponse<String> group = post(owner, t + "/ring-groups", "{\"name\":\"Sales\",\"extension\":\"300\","
        + "\"strategy\":\"round_robin\",\"members\":[\"" + alice + "\",\"" + bob + "\"]}");
    assertEquals(201, group.statusCode(), group.body());
    String groupId = json(group).get("id").asText();
    assertEquals(20, json(group).get("memberTimeoutSeconds").asInt());
    HttpResponse<String> regrouped = put(owner, t + "/ring-groups/" + groupId, "{\"name\":\"Sales\",\"extension\":\"300\","
        + "\"strategy\":\"sequential\",\"members\":[\"" + bob + "\"],\"memberTimeoutSeconds\":15}");
    assertEquals(200, regrouped.statusCode(), regrouped.body());
    assertEquals(json(regrouped), json(get(owner, t + "/ring-groups/" + groupId)));
    assertEquals(1, json(get(owner, t + "/ring-groups")).get("ringGroups").size());

    HttpResponse<String> hours = post(owner, t + "/business-hours", "{\"name\":\"Office\",\"timeZone\":\"Europe/Berlin\","
        + "\"weekly\":{\"monday\":[{\"from\":\"09:00\",\"to\":\"17:00\"}],\"saturday\":[{\"from\":\"10:00\",\"to\":\"24:00\"}]},"
        + "\"holidays\":[\"2026-12-25\"]}");
    assertEquals(201, hours.statusCode(), hours.body());
    String calendarId = json(hours).get("id").asText();
    assertEquals("24:00", json(hours).at("/weekly/saturday/0/to").asText());
    assertEquals(json(hours), json(get(owner, t + "/business-hours/" + calendarId)));

    HttpResponse<String> number = post(owner, t + "/numbers", "{\"number\":\"+4930123456\","
        + "\"target\":{\"type\":\"ring_group\",\"ringGroupId\":\"" + groupId + "\"},"
        + "\"calendarId\":\"" + calendarId + "\",\"closedTarget\":{\"type\":\"ivr\",\"flowId\":\"night\"}}");
    assertEquals(201, number.statusCode(), number.body());
    assertEquals(t + "/numbers/+4930123456", number.headers().firstValue("Location").orElse(""));
    assertEquals(json(number), json(get(owner, t + "/numbers/+4930123456")));
    assertError(409, "ring group " + groupId + " is the target of number +4930123456; point the number elsewhere first",
        delete(owner, t + "/ring-groups/" + groupId));
    assertError(409, "business hours " + calendarId + " are used by number +4930123456; remove them from it first",
        delete(owner, t + "/business-hours/" + calendarId));

    HttpResponse<String> renumbered = put(owner, t + "/numbers/+4930123456",
        "{\"target\":{\"type\":\"extension\",\"extension\":\"201\"}}");
    assertEquals(200, renumbered.statusCode(), renumbered.body());
    assertTrue(json(renumbered).get("calendarId").isNull());
    assertEquals(1, json(get(owner, t + "/numbers")).get("numbers").size());
    assertEquals(1, json(get(owner, t + "/business-hours")).get("businessHours").size());

    assertEquals(204, delete(owner, t + "/numbers/+4930123456").statusCode());
    assertEquals(204, delete(owner, t + "/business-hours/" + calendarId).statusCode());
    assertEquals(204, delete(owner, t + "/ring-groups/" + groupId).statusCode());
    assertError(404, "ring group " + groupId + " does not exist", get(owner, t + "/ring-groups/" + groupId));
  }

  // --- malformed input ---

  @Test
  void malformedRequestsAnswer400NamingTheField() throws Exception {
    String tenant = newTenant();
    String users = "/api/v1/tenants/" + tenant + "/users";
    assertEquals(400, post(owner, users, "{\"displayName\":").statusCode());
    assertTrue(json(post(owner, users, "{\"displayName\":")).at("/error/message").asText()
        .startsWith("body: malformed JSON at line 1"));
    assertError(400, "body: must be a JSON object", post(owner, users, "[1,2]"));
    assertError(400, "extension: is required", post(owner, users, "{\"displayName\":\"A\"}"));
    assertError(400, "extension: must be a string", post(owner, users, "{\"displayName\":\"A\",\"extension\":201}"));
    assertError(400, "extension: must be 2 to 8 digits", post(owner, users, "{\"displayName\":\"A\",\"extension\":\"2a\"}"));
    assertError(400, "nickname: unknown field (allowed: displayName, email, extension, sipPassword, sipUsername)",
        post(owner, users, "{\"displayName\":\"A\",\"extension\":\"201\",\"nickname\":\"x\"}"));
    assertError(400, "sipPassword: must be 8 characters to 72 bytes (UTF-8)",
        post(owner, users, "{\"displayName\":\"A\",\"extension\":\"201\",\"sipPassword\":\"short\"}"));
    assertError(400, "members[1]: must be a string", post(owner, "/api/v1/tenants/" + tenant + "/ring-groups",
        "{\"name\":\"S\",\"extension\":\"300\",\"strategy\":\"ring_all\",\"members\":[\"a\",2]}"));
    assertError(400, "strategy: must be ring_all, sequential or round_robin", post(owner,
        "/api/v1/tenants/" + tenant + "/ring-groups", "{\"name\":\"S\",\"extension\":\"300\",\"strategy\":\"random\",\"members\":[]}"));
    assertError(400, "target.type: must be extension, ring_group, queue or ivr", post(owner,
        "/api/v1/tenants/" + tenant + "/numbers", "{\"number\":\"+4930123456\",\"target\":{\"type\":\"fax\"}}"));
    assertError(400, "weekly.monday[0].from: must be a time HH:MM", post(owner,
        "/api/v1/tenants/" + tenant + "/business-hours",
        "{\"name\":\"O\",\"timeZone\":\"UTC\",\"weekly\":{\"monday\":[{\"from\":\"9am\",\"to\":\"17:00\"}]}}"));
    assertError(400, "timeZone: must be an IANA time zone such as Europe/Berlin", post(owner,
        "/api/v1/tenants/" + tenant + "/business-hours", "{\"name\":\"O\",\"timeZone\":\"Mars/Olympus\",\"weekly\":{}}"));
    assertError(400, "id: must be 2 to 63 lowercase letters, digits or -, starting with a letter or digit",
        post(owner, "/api/v1/tenants", "{\"id\":\"Bad Id\",\"name\":\"X\"}"));
    assertError(400, "name: is required", post(owner, "/api/v1/tenants", "{\"id\":\"fine\"}"));
  }

  @Test
  void aDuplicateExtensionIsAConflict() throws Exception {
    String tenant = newTenant();
    String first = createUser(tenant, "201");
    assertError(409, "extension: 201 is already used by user " + first, post(owner, "/api/v1/tenants/" + tenant
        + "/users", "{\"displayName\":\"B\",\"extension\":\"201\",\"sipUsername\":\"b\"}"));
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    String tenant = newTenant();
    String huge = "{\"displayName\":\"" + "x".repeat(AdminApiServer.SETTINGS.maxBodyBytes()) + "\",\"extension\":\"201\"}";
    HttpResponse<String> response = post(owner, "/api/v1/tenants/" + tenant + "/users", huge);
    assertEquals(413, response.statusCode(), response.body());
    assertEquals(413, json(response).at("/error/status").asInt());
  }
}
