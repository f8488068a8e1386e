package io.switchboard.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.TenantRegistry;
import io.switchboard.config.Ports;
import io.switchboard.http.HttpApi;
import io.switchboard.http.HttpApiSettings;
import io.switchboard.http.auth.AccessTokens;
import io.switchboard.http.auth.ApiAuth;
import io.switchboard.http.auth.CredentialHashing;
import io.switchboard.http.auth.Role;
import io.switchboard.http.auth.TokenRecord;
import io.switchboard.http.auth.TokenSecrets;
import io.switchboard.persistence.testkit.TestNodeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * The admin API for tests, with nothing faked: a one-node cluster with the real entities on the
 * shared test Cassandra, the real routes bound to a free port, and a real HTTP client.
 */
final class AdminApiServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Small bcrypt cost: the tests hash many tokens and passwords; the algorithm is the same. */
  static final AdminApiSettings SETTINGS = new AdminApiSettings(64 * 1024, Duration.ofSeconds(15), 2, 64, 4);

  final ActorTestKit kit;
  final String base;
  final CredentialHashing hashing;
  final AdminRoutes routes;

  AdminApiServer(String name) throws Exception {
    kit = ActorTestKit.create(name, ConfigFactory.parseString("pekko.cluster.roles = [core, api]")
        .withFallback(TestNodeConfig.node(0)));
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (cluster.selfMember().status() != MemberStatus.up() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    TestNodeConfig.ensureSchema(kit.system());
    Directory.init(kit.system());
    TenantRegistry.init(kit.system());
    AccessTokens.init(kit.system());
    io.switchboard.call.user.User.init(kit.system(), io.switchboard.call.user.UserSettings.read(
        kit.system().settings().config(), io.switchboard.call.CallSettings.read(
            new io.switchboard.config.SettingsReader(kit.system().settings().config()))));
    hashing = new CredentialHashing(SETTINGS.hashingThreads(), SETTINGS.hashingQueue());
    ApiAuth auth = new ApiAuth(kit.system(), hashing, SETTINGS.askTimeout());
    routes = new AdminRoutes(kit.system(), auth, hashing, SETTINGS);
    int port = Ports.freePort();
    HttpApi.start(kit.system(), new HttpApiSettings("127.0.0.1", "127.0.0.1", port, Duration.ofSeconds(20)),
        routes.route()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
  }

  /** Stores a token straight in the entity (how the bootstrap does it) and answers its plain value. */
  String issueToken(Role role, Optional<String> tenantId) throws Exception {
    TokenSecrets.NewToken token = TokenSecrets.generate();
    TokenRecord record = new TokenRecord(token.tokenId(), role, tenantId, "test", TokenSecrets.hash(token.value(), 4),
        Instant.now(), Optional.empty());
    AccessTokens.ref(kit.system()).<TokenRecord>askWithStatus(r -> new AccessTokens.IssueToken(record, r),
        Duration.ofSeconds(30)).toCompletableFuture().get(40, TimeUnit.SECONDS);
    return token.value();
  }

  HttpResponse<String> send(String method, String path, Optional<String> token, Optional<String> body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body.map(HttpRequest.BodyPublishers::ofString).orElse(HttpRequest.BodyPublishers.noBody()));
    body.ifPresent(b -> request.header("Content-Type", "application/json"));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Override
  public void close() {
    hashing.close();
    kit.shutdownTestKit();
  }
}
