package io.switchboard.http.admin;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A request the API refuses, with the status and the message the client sees. Handlers fail their
 * future with it; {@link AdminRoutes} turns it into the JSON error shape of {@code ApiErrors}.
 */
public final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient StatusCode status;

  public ApiProblem(StatusCode status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public StatusCode status() {
    return status;
  }

  public static ApiProblem badRequest(String message) {
    return new ApiProblem(StatusCodes.BAD_REQUEST, message);
  }

  public static ApiProblem notFound(String message) {
    return new ApiProblem(StatusCodes.NOT_FOUND, message);
  }

  public static ApiProblem forbidden(String message) {
    return new ApiProblem(StatusCodes.FORBIDDEN, message);
  }

  public static ApiProblem conflict(String message) {
    return new ApiProblem(StatusCodes.CONFLICT, message);
  }
}
