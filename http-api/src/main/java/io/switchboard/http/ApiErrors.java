package io.switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the API returns is JSON of one shape: {@code {"error":{"status":404,"code":"not_found",
 * "message":"..."}}}, whether it comes from a route, a rejection (unknown path, wrong method,
 * oversized body) or an unexpected exception.
 */
public final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiErrors() {}

  public static HttpResponse response(StatusCode status, String message) {
    ObjectNode error = JSON.createObjectNode();
    error.put("status", status.intValue());
    error.put("code", code(status));
    error.put("message", message);
    ObjectNode body = JSON.createObjectNode();
    body.set("error", error);
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }

  /** Pekko's default rejection handling (404, 405 with Allow, 413, ...) with the body rewritten as JSON. */
  public static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity() instanceof HttpEntity.Strict strict
          && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        String text = strict.getData().decodeString(StandardCharsets.UTF_8);
        HttpResponse json = response(response.status(), text);
        return response.withEntity(json.entity());
      }
      return response;
    });
  }

  public static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder().matchAny(e -> {
      log.error("Unhandled error in the HTTP API", e);
      return org.apache.pekko.http.javadsl.server.Directives.complete(
          response(StatusCodes.INTERNAL_SERVER_ERROR, "internal error; see the node's log"));
    }).build();
  }

  private static String code(StatusCode status) {
    return status.reason().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
  }
}
