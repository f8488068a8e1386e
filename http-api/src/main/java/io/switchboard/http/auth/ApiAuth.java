package io.switchboard.http.auth;

import io.switchboard.http.ApiErrors;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication for {@code /api/v1/...} routes:
 * {@code auth.authenticated(principal -> ...)} runs the inner route for a valid token and answers
 * 401 with {@code WWW-Authenticate: Bearer realm="switchboard"} otherwise.
 *
 * <p>Every request asks the {@link AccessTokens} entity for the token's record (a cheap in-memory
 * lookup there), so a revocation counts on every node with the next request. Only the slow part,
 * bcrypt, is cached: a token whose SHA-256 has been verified against its record once is not
 * hashed again. The cache holds SHA-256 digests, never tokens, is bounded, and drops a token's
 * entries when this node revokes it.
 */
public final class ApiAuth extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiAuth.class);
  /** Bound of the verified-token cache; past it the cache starts over (verification is only slower). */
  static final int MAX_CACHED_TOKENS = 10_000;
  public static final String REALM = "switchboard";

  private final ActorSystem<?> system;
  private final CredentialHashing hashing;
  private final Duration askTimeout;
  /** SHA-256 of a verified token to its token id. */
  private final Map<String, String> verified = new ConcurrentHashMap<>();
  public static final int MAX_FAILURES = 5;
  static final java.time.Duration FAILURE_WINDOW = java.time.Duration.ofMinutes(1);
  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

  public ApiAuth(ActorSystem<?> system, CredentialHashing hashing, Duration askTimeout) {
    this.system = system;
    this.hashing = hashing;
    this.askTimeout = askTimeout;
  }

  /** Runs {@code inner} with the request's principal, or answers 401 (503 if tokens cannot be checked). */
  public Route authenticated(Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> token = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
          .map(h -> h.substring(7).trim());
      if (token.isEmpty()) {
        return complete(unauthorized("a bearer token is required (Authorization: Bearer sbt_...)"));
      }
      return onComplete(verify(token.get()), result -> result.fold(
          failure -> {
            log.warn("Token verification failed: {}", failure.toString());
            return complete(ApiErrors.response(StatusCodes.SERVICE_UNAVAILABLE,
                "tokens cannot be checked right now; try again"));
          },
          principal -> principal.map(inner).orElseGet(() -> complete(unauthorized("the token is invalid or revoked")))));
    });
  }

  /** The principal of a valid, unrevoked token; empty for anything else. Fails only when tokens cannot be read. */
  public CompletionStage<Optional<Principal>> verify(String token) {
    Optional<String> tokenId = TokenSecrets.tokenId(token);
    if (tokenId.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return AccessTokens.ref(system)
        .<TokenRecord>askWithStatus(replyTo -> new AccessTokens.GetToken(tokenId.get(), replyTo), askTimeout)
        .handle((record, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            if (cause instanceof StatusReply.ErrorMessage) {
              return CompletableFuture.<Optional<Principal>>completedFuture(Optional.empty()); // unknown id
            }
            return CompletableFuture.<Optional<Principal>>failedFuture(cause);
          }
          return check(token, record);
        })
        .thenCompose(Function.identity());
  }

  /** Failed checks of one token id inside the current window. */
  private record Failures(long windowStartNanos, int count) {}

  /**
   * Wrong secrets for a known token id cost a bcrypt each on the bounded hashing pool; past
   * {@link #MAX_FAILURES} in {@link #FAILURE_WINDOW} the id is refused without hashing until the
   * window passes, so that guessing cannot starve token checks, token creation and SIP password
   * changes. A token this node has verified before stays cached and is not affected.
   */
  private boolean throttled(String tokenId) {
    Failures f = failures.get(tokenId);
    return f != null && System.nanoTime() - f.windowStartNanos() < FAILURE_WINDOW.toNanos()
        && f.count() >= MAX_FAILURES;
  }

  private void recordFailure(String tokenId) {
    if (failures.size() >= MAX_CACHED_TOKENS) {
      failures.clear();
    }
    Failures after = failures.merge(tokenId, new Failures(System.nanoTime(), 1), (old, one) ->
        System.nanoTime() - old.windowStartNanos() < FAILURE_WINDOW.toNanos()
            ? new Failures(old.windowStartNanos(), old.count() + 1) : one);
    if (after.count() == MAX_FAILURES) {
      log.warn("Token {}: {} wrong secrets within {}; refusing it without checking for the rest of that time",
          tokenId, MAX_FAILURES, FAILURE_WINDOW);
    }
  }

  private CompletionStage<Optional<Principal>> check(String token, TokenRecord record) {
    if (record.isRevoked()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String key = TokenSecrets.cacheKey(token);
    if (record.tokenId().equals(verified.get(key))) {
      return CompletableFuture.completedFuture(Optional.of(record.principal()));
    }
    if (throttled(record.tokenId())) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return hashing.submit(() -> TokenSecrets.matches(record.secretHash(), token)).thenApply(ok -> {
      if (!ok) {
        recordFailure(record.tokenId());
        return Optional.empty();
      }
      if (verified.size() >= MAX_CACHED_TOKENS) {
        verified.clear();
      }
      verified.put(key, record.tokenId());
      return Optional.of(record.principal());
    });
  }

  /** Drops this node's cached verifications of a token (its revocation is checked on every request anyway). */
  public void forget(String tokenId) {
    verified.values().removeIf(tokenId::equals);
  }

  public static HttpResponse unauthorized(String message) {
    return ApiErrors.response(StatusCodes.UNAUTHORIZED, message)
        .addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
  }
}
