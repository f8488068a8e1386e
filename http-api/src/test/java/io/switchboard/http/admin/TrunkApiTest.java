package io.switchboard.http.admin;

import static io.switchboard.http.admin.AdminApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.DirectoryView;
import io.switchboard.call.directory.Trunk;
import io.switchboard.call.directory.TrunkCredentials;
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

/** Trunks over the admin API: real HTTP, real entities, real Cassandra. */
class TrunkApiTest {
  private static AdminApiServer server;
  private static String owner;

  @BeforeAll
  static void start() throws Exception {
    server = new AdminApiServer("TrunkApiTest");
    owner = server.issueToken(Role.OWNER, Optional.empty());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> send(String method, String token, String path, String body) throws Exception {
    return server.send(method, path, Optional.of(token), Optional.ofNullable(body));
  }

  private static void assertError(int status, String message, HttpResponse<String> response) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(message, json(response).at("/error/message").asText());
  }

  private static String newTenant() throws Exception {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created = send("POST", owner, "/api/v1/tenants", "{\"id\":\"" + id + "\",\"name\":\"Acme\"}");
    assertEquals(201, created.statusCode(), created.body());
    return id;
  }

  private static Trunk stored(String tenant, String trunkId) throws Exception {
    DirectoryView view = Directory.ref(server.kit.system(), tenant)
        .<DirectoryView>askWithStatus(Directory.GetDirectory::new, Duration.ofSeconds(15))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
    return view.trunks().stream().filter(t -> t.trunkId().equals(trunkId)).findFirst().orElseThrow();
  }

  @Test
  void trunksAreCreatedListedReadUpdatedAndDeletedWithAWriteOnlyPassword() throws Exception {
    String tenant = newTenant();
    String path = "/api/v1/tenants/" + tenant + "/trunks";
    String password = "carrier secret";
    HttpResponse<String> created = send("POST", owner, path, "{\"id\":\"carrier\",\"name\":\"Carrier\","
        + "\"host\":\"sip.carrier.example\",\"transport\":\"tls\",\"allowedSources\":[\"192.0.2.0/24\",\"2001:db8::/32\"],"
        + "\"username\":\"acme\",\"realm\":\"sip.carrier.example\",\"password\":\"" + password + "\","
        + "\"register\":true,\"callerId\":\"+4930123456\"}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(path + "/carrier", created.headers().firstValue("Location").orElse(""));
    JsonNode trunk = json(created);
    assertEquals(AdminApiServer.JSON.readTree("{\"id\":\"carrier\",\"name\":\"Carrier\",\"host\":\"sip.carrier.example\","
        + "\"port\":5061,\"transport\":\"tls\",\"allowedSources\":[\"192.0.2.0/24\",\"2001:db8::/32\"],"
        + "\"username\":\"acme\",\"realm\":\"sip.carrier.example\",\"password\":\"set\",\"register\":true,"
        + "\"callerId\":\"+4930123456\"}"), trunk);

    // Stored: HA1 = hex MD5/SHA-256 of username:realm:password (we are the carrier's digest client), no password.
    TrunkCredentials credentials = stored(tenant, "carrier").credentials().orElseThrow();
    String a1 = "acme:sip.carrier.example:" + password;
    assertEquals(SipPasswords.digest("MD5", a1), credentials.ha1Md5());
    assertEquals(SipPasswords.digest("SHA-256", a1), credentials.ha1Sha256());
    assertTrue(credentials.ha1Md5().matches("[0-9a-f]{32}") && credentials.ha1Sha256().matches("[0-9a-f]{64}"));

    HttpResponse<String> listed = send("GET", owner, path, null);
    assertEquals(200, listed.statusCode(), listed.body());
    assertEquals(List.of(trunk), List.copyOf(iterable(json(listed).get("trunks"))));
    assertEquals(trunk, json(send("GET", owner, path + "/carrier", null)));
    for (String body : List.of(created.body(), listed.body(), send("GET", owner, path + "/carrier", null).body())) {
      assertFalse(body.contains(password) || body.contains(credentials.ha1Md5())
          || body.contains(credentials.ha1Sha256()), "no password or hash leaves the API: " + body);
    }

    // PUT without password: the credentials stay (username and realm may be repeated); left-out fields are cleared.
    HttpResponse<String> updated = send("PUT", owner, path + "/carrier", "{\"id\":\"carrier\",\"name\":\"Carrier 2\","
        + "\"host\":\"192.0.2.10\",\"port\":5080,\"transport\":\"udp\",\"allowedSources\":[\"192.0.2.10\"],"
        + "\"username\":\"acme\"}");
    assertEquals(200, updated.statusCode(), updated.body());
    JsonNode after = json(updated);
    assertEquals("Carrier 2", after.get("name").asText());
    assertEquals(5080, after.get("port").asInt());
    assertEquals("set", after.get("password").asText(), "left out on PUT: the password stays");
    assertEquals("acme", after.get("username").asText());
    assertFalse(after.get("register").asBoolean(), "left out on PUT: cleared");
    assertTrue(after.get("callerId").isNull(), "left out on PUT: cleared");
    assertEquals(credentials, stored(tenant, "carrier").credentials().orElseThrow());
    assertEquals(after, json(send("GET", owner, path + "/carrier", null)));

    assertError(400, "password: is required when username or realm is set or changed", send("PUT", owner,
        path + "/carrier", "{\"name\":\"C\",\"host\":\"192.0.2.10\",\"username\":\"someone-else\"}"));
    HttpResponse<String> rekeyed = send("PUT", owner, path + "/carrier", "{\"name\":\"C\",\"host\":\"192.0.2.10\","
        + "\"username\":\"acme2\",\"realm\":\"carrier\",\"password\":\"new secret\"}");
    assertEquals(200, rekeyed.statusCode(), rekeyed.body());
    assertEquals("acme2", json(rekeyed).get("username").asText());
    assertEquals(SipPasswords.digest("MD5", "acme2:carrier:new secret"),
        stored(tenant, "carrier").credentials().orElseThrow().ha1Md5());

    assertError(409, "trunk carrier already exists", send("POST", owner, path,
        "{\"id\":\"carrier\",\"name\":\"Other\",\"host\":\"192.0.2.99\"}"));

    HttpResponse<String> generated = send("POST", owner, path, "{\"name\":\"IP only\",\"host\":\"2001:db8::5\"}");
    assertEquals(201, generated.statusCode(), generated.body());
    JsonNode ipOnly = json(generated);
    assertTrue(ipOnly.get("id").asText().matches("tr-[a-z0-9]{10}"), ipOnly.toString());
    assertEquals("not_set", ipOnly.get("password").asText());
    assertTrue(ipOnly.get("username").isNull() && ipOnly.get("realm").isNull());
    assertEquals(5060, ipOnly.get("port").asInt());
    assertEquals("udp", ipOnly.get("transport").asText());
    assertEquals(2, json(send("GET", owner, path, null)).get("trunks").size());

    assertEquals(204, send("DELETE", owner, path + "/carrier", null).statusCode());
    assertError(404, "trunk carrier does not exist", send("GET", owner, path + "/carrier", null));
    assertError(404, "trunk carrier does not exist", send("DELETE", owner, path + "/carrier", null));
    assertError(404, "trunk carrier does not exist", send("PUT", owner, path + "/carrier",
        "{\"name\":\"C\",\"host\":\"192.0.2.10\"}"));
    assertEquals(1, json(send("GET", owner, path, null)).get("trunks").size());
  }

  @Test
  void badValuesAnswer400NamingTheField() throws Exception {
    String path = "/api/v1/tenants/" + newTenant() + "/trunks";
    assertError(400, "allowedSources[1]: 192.0.2.0/33 the prefix length must be 0 to 32", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"allowedSources\":[\"192.0.2.0/24\",\"192.0.2.0/33\"]}"));
    assertError(400, "allowedSources[0]: carrier.example must be an IPv4 or IPv6 address or CIDR block such as "
        + "192.0.2.0/24 or 2001:db8::/32", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"allowedSources\":[\"carrier.example\"]}"));
    assertError(400, "allowedSources[0]: must be a string", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"allowedSources\":[7]}"));
    assertError(400, "host: must be an IPv4 or IPv6 address or a DNS name such as sip.carrier.example",
        send("POST", owner, path, "{\"name\":\"C\",\"host\":\"192.0.2.300\"}"));
    assertError(400, "port: must be 1 to 65535", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"port\":70000}"));
    assertError(400, "transport: must be udp, tcp or tls", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"transport\":\"sctp\"}"));
    assertError(400, "callerId: must be E.164 with the plus sign and 8 to 15 digits, such as +4930123456",
        send("POST", owner, path, "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"callerId\":\"030123456\"}"));
    assertError(400, "callerId: must be E.164 with the plus sign and 8 to 15 digits, such as +4930123456",
        send("POST", owner, path, "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"callerId\":\"\"}"));
    assertError(400, "realm: is required when password is set", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"username\":\"u\",\"password\":\"p\"}"));
    assertError(400, "password: is required when username or realm is set", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"username\":\"u\",\"realm\":\"r\"}"));
    assertError(400, "password: must be 1 to 256 characters", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"username\":\"u\",\"realm\":\"r\",\"password\":\"\"}"));
    assertError(400, "id: must be 1 to 64 letters, digits, _ or -", send("POST", owner, path,
        "{\"id\":\"bad id\",\"name\":\"C\",\"host\":\"sip.carrier.example\"}"));
    assertError(400, "host: is required", send("POST", owner, path, "{\"name\":\"C\"}"));
    assertError(400, "secret: unknown field (allowed: allowedSources, callerId, host, id, name, password, port, realm, "
        + "register, transport, username)", send("POST", owner, path,
        "{\"name\":\"C\",\"host\":\"sip.carrier.example\",\"secret\":\"x\"}"));
    assertEquals(0, json(send("GET", owner, path, null)).get("trunks").size(), "nothing was stored");
  }

  @Test
  void anotherTenantsTokenGets404() throws Exception {
    String mine = newTenant();
    String other = newTenant();
    String otherPath = "/api/v1/tenants/" + other + "/trunks";
    assertEquals(201, send("POST", owner, otherPath, "{\"id\":\"carrier\",\"name\":\"C\",\"host\":\"192.0.2.1\"}")
        .statusCode());
    String admin = server.issueToken(Role.ADMIN, Optional.of(mine));
    assertEquals(200, send("GET", admin, "/api/v1/tenants/" + mine + "/trunks", null).statusCode());
    String gone = "tenant " + other + " does not exist";
    assertError(404, gone, send("GET", admin, otherPath, null));
    assertError(404, gone, send("GET", admin, otherPath + "/carrier", null));
    assertError(404, gone, send("POST", admin, otherPath, "{\"name\":\"C\",\"host\":\"192.0.2.1\"}"));
    assertError(404, gone, send("PUT", admin, otherPath + "/carrier", "{\"name\":\"C\",\"host\":\"192.0.2.1\"}"));
    assertError(404, gone, send("PUT", admin, otherPath + "/carrier",
        "{\"name\":\"C\",\"host\":\"192.0.2.1\",\"username\":\"u\"}"));
    assertError(404, gone, send("DELETE", admin, otherPath + "/carrier", null));
    assertEquals("C", json(send("GET", owner, otherPath + "/carrier", null)).get("name").asText(), "untouched");
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> items = new java.util.ArrayList<>();
    array.forEach(items::add);
    return items;
  }
}
