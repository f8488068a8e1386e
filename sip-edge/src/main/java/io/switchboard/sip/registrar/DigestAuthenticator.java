package io.switchboard.sip.registrar;

import io.switchboard.call.directory.DigestCredentials;
import io.switchboard.call.directory.Directory;
import io.switchboard.sip.auth.AuthFailureLockout;
import io.switchboard.sip.auth.DigestAlgorithm;
import io.switchboard.sip.auth.DigestAuthorization;
import io.switchboard.sip.auth.DigestChallenge;
import io.switchboard.sip.auth.DigestVerifier;
import io.switchboard.sip.auth.NonceService;
import io.switchboard.sip.auth.NonceStatus;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Digest authentication of requests from phones (RFC 3261 §22, RFC 8760): REGISTER is challenged
 * with 401/WWW-Authenticate, other requests with 407/Proxy-Authenticate, one challenge per configured
 * algorithm in order of preference (RFC 8760). A response with an algorithm we did not offer fails. HA1 values come from the tenant's Directory; passwords
 * never reach the edge. Nonces are stateless and verifiable on any edge node that shares the secret;
 * an expired one is re-challenged with {@code stale=true}. Repeated failures lock out the source
 * address and the username for a while (403).
 */
public final class DigestAuthenticator {
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  /** What became of a request: its user, or the response to send instead. */
  public sealed interface Outcome permits Authenticated, Refused {}

  public record Authenticated(DigestCredentials user) implements Outcome {}

  public record Refused(SipResponse response) implements Outcome {}

  private final ActorSystem<?> system;
  private final NonceService nonces;
  private final AuthFailureLockout lockout;

  private final List<DigestAlgorithm> algorithms;

  public DigestAuthenticator(ActorSystem<?> system, NonceService nonces, AuthFailureLockout lockout,
                             List<DigestAlgorithm> algorithms) {
    this.system = system;
    this.algorithms = List.copyOf(algorithms);
    this.nonces = nonces;
    this.lockout = lockout;
  }

  /**
   * Checks {@code request}'s credentials for {@code realm} of {@code tenantId}. {@code proxy} selects
   * 407/Proxy-Authorization (calls) instead of 401/Authorization (registrations).
   */
  public CompletionStage<Outcome> authenticate(SipRequest request, Flow flow, String tenantId, String realm,
                                               boolean proxy) {
    String source = "ip:" + flow.remote().getAddress().getHostAddress();
    if (lockout.isLocked(source)) {
      return done(refuse(request, 403, "Too many failed authentications"));
    }
    String header = proxy ? "Proxy-Authorization" : "Authorization";
    Optional<DigestAuthorization> credentials = request.headers().values(header).stream()
        .map(DigestAuthorization::parse).flatMap(Optional::stream)
        .filter(a -> a.realm().equalsIgnoreCase(realm)).findFirst();
    if (credentials.isEmpty()) {
      return done(challenge(request, realm, proxy, false));
    }
    DigestAuthorization auth = credentials.get();
    if (!algorithms.contains(auth.algorithm())) {
      return done(challenge(request, realm, proxy, false));
    }
    String account = "user:" + auth.username() + "@" + realm;
    if (lockout.isLocked(account)) {
      return done(refuse(request, 403, "Too many failed authentications"));
    }
    NonceStatus status = nonces.check(auth.nonce(), realm);
    if (status != NonceStatus.VALID) {
      // An unknown or forged nonce is not a wrong password: challenge again without counting it.
      return done(challenge(request, realm, proxy, status == NonceStatus.STALE));
    }
    return Directory.ref(system, tenantId)
        .<DigestCredentials>askWithStatus(r -> new Directory.GetSipCredentials(auth.username(), r), ASK_TIMEOUT)
        .handle((user, error) -> {
          if (error != null) {
            if (isTimeout(error)) {
              return refuse(request, 503, "Directory unavailable", "Retry-After", "5");
            }
            fail(source, account);
            return challenge(request, realm, proxy, false);
          }
          if (!user.realm().equalsIgnoreCase(realm)) {
            fail(source, account);
            return challenge(request, realm, proxy, false);
          }
          String ha1 = auth.algorithm() == DigestAlgorithm.SHA_256 ? user.ha1Sha256() : user.ha1Md5();
          if (!DigestVerifier.verify(auth, request.method(), ha1, auth.algorithm())) {
            fail(source, account);
            return challenge(request, realm, proxy, false);
          }
          OptionalLong nc = auth.nonceCount();
          if (nc.isPresent() && !nonces.acceptNonceCount(auth.nonce(), auth.cnonce().orElse(""), nc.getAsLong())) {
            // A replayed nonce count: the same response seen twice. Fresh challenge.
            return challenge(request, realm, proxy, true);
          }
          // Only the account's count is reset: an attacker with one good account must not be able
          // to clear the failures of the address it guesses others' passwords from.
          lockout.recordSuccess(account);
          return new Authenticated(user);
        });
  }

  private void fail(String source, String account) {
    lockout.recordFailure(source);
    lockout.recordFailure(account);
  }

  private static boolean isTimeout(Throwable error) {
    Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return e instanceof java.util.concurrent.TimeoutException;
  }

  /** The challenge: one header per configured algorithm, most preferred first. */
  public Outcome challenge(SipRequest request, String realm, boolean proxy, boolean stale) {
    SipResponse r = SipMessages.response(request, proxy ? 407 : 401);
    String header = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
    for (DigestAlgorithm alg : algorithms) {
      DigestChallenge c = DigestChallenge.of(realm, nonces.issue(realm), Optional.empty(), alg, stale);
      r = r.withHeaders(r.headers().plus(header, c.toHeaderValue()));
    }
    return new Refused(io.switchboard.sip.b2bua.SipAddresses.tagged(r));
  }

  static Outcome refuse(SipRequest request, int status, String reason, String... header) {
    SipResponse r = SipMessages.response(request, status, reason);
    for (int i = 0; i + 1 < header.length; i += 2) {
      r = r.withHeaders(r.headers().plus(header[i], header[i + 1]));
    }
    return new Refused(io.switchboard.sip.b2bua.SipAddresses.tagged(r));
  }

  private static CompletionStage<Outcome> done(Outcome o) {
    return CompletableFuture.completedFuture(o);
  }
}
