package io.switchboard.http.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.http.ApiErrors;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/status} (JSON) and {@code GET /} (a page for people). Both are readable
 * without a token, like a health check: they reveal topology, never tenant data.
 */
public final class StatusRoutes extends AllDirectives {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A link printed on the status page: a label and its URL. */
  public record Link(String label, String url) {}

  private final StatusService service;
  private final List<Link> links;

  public StatusRoutes(StatusService service, List<Link> links) {
    this.service = service;
    this.links = List.copyOf(links);
  }

  public Route route() {
    return concat(
        path(PathMatchers.segment("api").slash("v1").slash("status"), () -> get(() ->
            onComplete(service.status(), result -> result.fold(
                error -> complete(ApiErrors.response(StatusCodes.SERVICE_UNAVAILABLE,
                    "status unavailable: " + error.getMessage())),
                status -> complete(StatusCodes.OK, HttpEntities.create(ContentTypes.APPLICATION_JSON, json(status)))))
        )),
        pathEndOrSingleSlash(() -> get(() ->
            onComplete(service.status(), result -> result.fold(
                error -> complete(StatusCodes.SERVICE_UNAVAILABLE, HttpEntities.create(
                    ContentTypes.TEXT_HTML_UTF8, StatusPage.unavailable(error.getMessage()))),
                status -> complete(StatusCodes.OK, HttpEntities.create(ContentTypes.TEXT_HTML_UTF8,
                    StatusPage.render(status, links))))))));
  }

  private static String json(NodeStatus status) {
    try {
      return JSON.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("status is not serializable", e);
    }
  }

}
