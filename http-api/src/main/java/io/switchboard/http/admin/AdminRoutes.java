package io.switchboard.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.call.directory.DirectoryError;
import io.switchboard.http.ApiErrors;
import io.switchboard.http.auth.ApiAuth;
import io.switchboard.http.auth.CredentialHashing;
import io.switchboard.http.auth.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@code /api/v1}: tenants and their users, ring groups, numbers and business
 * hours, and access tokens, plus the OpenAPI document. Routes are built from one table of
 * {@link Endpoint}s, so the set of operations served is exactly {@link #endpoints()}, which the
 * OpenAPI test compares with the document.
 *
 * <p>Every endpoint but the document needs a bearer token ({@link ApiAuth}). Bodies are JSON,
 * at most {@link AdminApiSettings#maxBodyBytes()} (413 beyond). Errors use the shape of
 * {@link ApiErrors}: 400 names the field, 404 covers unknown tenants and resources, including
 * those of tenants the token may not see, 409 conflicts, 503 when an entity does not answer.
 */
public final class AdminRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
  public static final String OPENAPI_PATH = "/api/v1/openapi.json";

  /** One operation: method, path template ({@code {name}} is a path parameter) and handler. */
  public record Endpoint(HttpMethod method, String path, Handler handler) {
    public String describe() {
      return method.value() + " " + path;
    }
  }

  @FunctionalInterface
  public interface Handler {
    CompletionStage<HttpResponse> handle(Call call);
  }

  /** An authenticated request: who, the path parameters in order, and the body (empty for GET, DELETE). */
  public record Call(Principal principal, List<String> params, String body) {
    String param(int i) {
      return params.get(i);
    }

    JsonBody json() {
      return JsonBody.parse(body);
    }
  }

  private final ApiAuth auth;
  private final AdminApiSettings settings;
  private final List<Endpoint> endpoints;
  private final String openApi;

  public AdminRoutes(ActorSystem<?> system, ApiAuth auth, CredentialHashing hashing, AdminApiSettings settings) {
    this.auth = auth;
    this.settings = settings;
    List<Endpoint> all = new ArrayList<>();
    all.addAll(new TokenAdmin(system, auth, hashing, settings).endpoints());
    all.addAll(new DirectoryAdmin(system, hashing, settings).endpoints());
    all.addAll(new UserSettingsAdmin(system, settings).endpoints());
    this.endpoints = List.copyOf(all);
    this.openApi = openApiDocument();
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The OpenAPI 3 document served at {@link #OPENAPI_PATH}. */
  public static String openApiDocument() {
    try (InputStream in = AdminRoutes.class.getResourceAsStream("openapi.json")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("openapi.json is missing from the http-api jar", e);
    }
  }

  public Route route() {
    Map<String, List<Endpoint>> byPath = new LinkedHashMap<>();
    endpoints.forEach(e -> byPath.computeIfAbsent(e.path(), p -> new ArrayList<>()).add(e));
    List<Route> routes = new ArrayList<>();
    routes.add(path(PathMatchers.segment("api").slash("v1").slash("openapi.json"), () -> get(() ->
        complete(StatusCodes.OK, HttpEntities.create(ContentTypes.APPLICATION_JSON, openApi)))));
    byPath.forEach((path, operations) -> routes.add(matchPath(List.of(path.substring(1).split("/")), 0,
        List.of(), params -> concat(operations.stream().map(op -> operation(op, params)).toList()))));
    return concat(routes);
  }

  private Route concat(List<Route> routes) {
    return routes.size() == 1 ? routes.get(0)
        : concat(routes.get(0), routes.subList(1, routes.size()).toArray(Route[]::new));
  }

  /** Matches the template's segments one by one, collecting the values of {@code {name}} segments. */
  private Route matchPath(List<String> segments, int i, List<String> params,
                          java.util.function.Function<List<String>, Route> inner) {
    if (i == segments.size()) {
      return pathEnd(() -> inner.apply(params));
    }
    String segment = segments.get(i);
    if (segment.startsWith("{")) {
      return pathPrefix(PathMatchers.segment(), value -> {
        List<String> next = new ArrayList<>(params);
        next.add(value);
        return matchPath(segments, i + 1, next, inner);
      });
    }
    return pathPrefix(segment, () -> matchPath(segments, i + 1, params, inner));
  }

  private Route operation(Endpoint endpoint, List<String> params) {
    return method(endpoint.method(), () -> auth.authenticated(principal -> {
      boolean hasBody = endpoint.method().equals(HttpMethods.POST) || endpoint.method().equals(HttpMethods.PUT);
      if (!hasBody) {
        return respond(endpoint, new Call(principal, params, ""));
      }
      return withSizeLimit(settings.maxBodyBytes(), () -> entity(Unmarshaller.entityToString(),
          body -> respond(endpoint, new Call(principal, params, body))));
    }));
  }

  private Route respond(Endpoint endpoint, Call call) {
    CompletionStage<HttpResponse> response;
    try {
      response = endpoint.handler().handle(call);
    } catch (RuntimeException e) {
      response = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    return onComplete(response, result -> result.fold(
        failure -> complete(errorResponse(endpoint, failure)),
        this::complete));
  }

  static HttpResponse errorResponse(Endpoint endpoint, Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiProblem problem) {
      return ApiErrors.response(problem.status(), problem.getMessage());
    }
    if (cause instanceof DirectoryError error) {
      StatusCode status = switch (error.kind()) {
        case NOT_FOUND -> StatusCodes.NOT_FOUND;
        case CONFLICT -> StatusCodes.CONFLICT;
        case INVALID -> StatusCodes.BAD_REQUEST;
      };
      return ApiErrors.response(status, error.getMessage());
    }
    if (cause instanceof RejectedExecutionException) {
      return ApiErrors.response(StatusCodes.SERVICE_UNAVAILABLE, "too many password hashes queued; try again")
          .addHeader(RawHeader.create("Retry-After", "1"));
    }
    if (cause instanceof TimeoutException) {
      return ApiErrors.response(StatusCodes.SERVICE_UNAVAILABLE, "the directory did not answer in time; try again")
          .addHeader(RawHeader.create("Retry-After", "1"));
    }
    log.error("{} failed", endpoint.describe(), cause);
    return ApiErrors.response(StatusCodes.INTERNAL_SERVER_ERROR, "internal error; see the node's log");
  }

  // --- responses shared by the handlers ---

  static HttpResponse ok(JsonNode body) {
    return json(StatusCodes.OK, body);
  }

  static HttpResponse created(String location, JsonNode body) {
    return json(StatusCodes.CREATED, body).addHeader(Location.create(location));
  }

  static HttpResponse noContent() {
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
  }

  private static HttpResponse json(StatusCode status, JsonNode body) {
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
