package io.switchboard.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin API of a test node, as an operator's script would call it. */
record AdminClient(String base, String token) {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static AdminClient of(Node node) throws java.io.IOException {
    return new AdminClient("http://127.0.0.1:" + node.configuration().http().port(),
        java.nio.file.Files.readString(node.adminTokenFile().orElseThrow()).trim());
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
