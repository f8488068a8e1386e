package io.switchboard.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin API of a test node, as an operator's script would call it. */
record AdminClient(String base, String token) {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * The node's bootstrap owner token when it wrote one; otherwise (tests share one Cassandra per JVM,
   * so only the first node ever bootstraps) an owner token issued through the entity, as the admin
   * API's token endpoint does.
   */
  static AdminClient of(Node node) throws Exception {
    String base = "http://127.0.0.1:" + node.configuration().http().port();
    if (node.adminTokenFile().isPresent()) {
      return new AdminClient(base, java.nio.file.Files.readString(node.adminTokenFile().get()).trim());
    }
    io.switchboard.http.auth.TokenSecrets.NewToken token = io.switchboard.http.auth.TokenSecrets.generate();
    String hash = io.switchboard.http.auth.TokenSecrets.hash(token.value(), 4);
    io.switchboard.http.auth.AccessTokens.ref(node.system())
        .<io.switchboard.http.auth.TokenRecord>askWithStatus(r -> new io.switchboard.http.auth.AccessTokens.IssueToken(
            new io.switchboard.http.auth.TokenRecord(token.tokenId(), io.switchboard.http.auth.Role.OWNER,
                java.util.Optional.empty(), "test owner", hash, java.time.Instant.now(), java.util.Optional.empty()), r),
            Duration.ofSeconds(10)).toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
    return new AdminClient(base, token.value());
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, token, body);
  }

  /** {@code withToken} null: no Authorization header. */
  HttpResponse<String> send(String method, String path, String withToken, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (withToken != null) {
      request.header("Authorization", "Bearer " + withToken);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
