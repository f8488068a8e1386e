package io.switchboard.sip.auth;

import io.switchboard.sip.message.SipParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code Digest} challenge: the value of a WWW-Authenticate (401) or Proxy-Authenticate (407)
 * header (RFC 3261 §22.1, §25.1 {@code digest-cln}; RFC 7616 §3.3).
 *
 * <p>Two uses. As a server, the edge builds one with {@link #of} and sends {@link #toHeaderValue()};
 * with RFC 8760 it may send one challenge per algorithm, SHA-256 first, in order of preference. As a client (trunk
 * registration, calls through a carrier) it reads the carrier's challenges with {@link #parse}.
 *
 * @param realm     the protection space; for us the tenant's SIP realm (RFC 3261 §22.1)
 * @param nonce     server-chosen, opaque to the client (RFC 7616 §3.3)
 * @param opaque    echoed unchanged by the client when present
 * @param algorithm MD5 when the challenge names none (RFC 7616 §3.3)
 * @param qop       the quality-of-protection options offered, lower case, in order; empty for an
 *                  RFC 2069 style challenge without qop. Our own challenges offer exactly "auth":
 *                  "auth-int" would need the body hashed at the edge.
 * @param stale     true when the previous request's nonce was authentic but expired, so the
 *                  client should retry with the new nonce without asking the user (RFC 7616 §3.3)
 */
public record DigestChallenge(String realm, String nonce, Optional<String> opaque, DigestAlgorithm algorithm,
                              List<String> qop, boolean stale) {

  public DigestChallenge {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(opaque, "opaque");
    Objects.requireNonNull(algorithm, "algorithm");
    qop = List.copyOf(qop);
    requireHeaderSafe(realm, "realm");
    requireHeaderSafe(nonce, "nonce");
    opaque.ifPresent(o -> requireHeaderSafe(o, "opaque"));
    for (String q : qop) {
      if (q.isEmpty() || !q.chars().allMatch(DigestChallenge::isQopChar)) {
        throw new IllegalArgumentException("qop option is not a token: " + q);
      }
    }
  }

  /**
   * The challenge this edge sends: qop="auth" only. qop makes the client send cnonce and nc
   * (RFC 7616 §3.4), which the replay check of {@link NonceService#acceptNonceCount} needs.
   */
  public static DigestChallenge of(String realm, String nonce, Optional<String> opaque, DigestAlgorithm algorithm,
                                   boolean stale) {
    return new DigestChallenge(realm, nonce, opaque, algorithm, List.of("auth"), stale);
  }

  /** Whether the client can answer with qop=auth (the only qop this code computes). */
  public boolean offersQopAuth() {
    return qop.contains("auth");
  }

  /**
   * {@code Digest realm="…", nonce="…", opaque="…", algorithm=SHA-256, qop="auth", stale=true}.
   * algorithm is always present (RFC 8760: a server offering several algorithms sends a challenge
   * naming each); stale only when true, since absent means false (RFC 7616 §3.3).
   */
  public String toHeaderValue() {
    StringBuilder b = new StringBuilder("Digest realm=").append(SipParams.quote(realm))
        .append(", nonce=").append(SipParams.quote(nonce));
    opaque.ifPresent(o -> b.append(", opaque=").append(SipParams.quote(o)));
    b.append(", algorithm=").append(algorithm.wireName());
    if (!qop.isEmpty()) {
      b.append(", qop=\"").append(String.join(",", qop)).append('"');
    }
    if (stale) {
      b.append(", stale=true");
    }
    return b.toString();
  }

  /**
   * Reads a challenge received from a server. Tolerant where tolerance costs nothing, because the
   * other side is a carrier we must interoperate with and a misread challenge only fails a login:
   * other parameters (domain, charset, userhash) are ignored, qop may be a list ("auth,auth-int",
   * RFC 7616 §3.3) or absent (RFC 2069), quoted or not, and any value may arrive unquoted.
   *
   * <p>Empty when it is not a Digest challenge, realm or nonce is missing, a parameter repeats, or
   * the algorithm is one we cannot compute (MD5-sess, SHA-512-256, ...): the caller then tries the
   * server's next challenge (RFC 8760 lets a server send several).
   */
  public static Optional<DigestChallenge> parse(String headerValue) {
    Optional<Map<String, DigestParams.Param>> parsed = DigestParams.parse(headerValue);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    Map<String, DigestParams.Param> p = parsed.get();
    DigestParams.Param realm = p.get("realm");
    DigestParams.Param nonce = p.get("nonce");
    if (realm == null || nonce == null || nonce.value().isEmpty()) {
      return Optional.empty();
    }
    DigestAlgorithm algorithm = DigestAlgorithm.MD5;
    DigestParams.Param alg = p.get("algorithm");
    if (alg != null) {
      Optional<DigestAlgorithm> a = DigestAlgorithm.parse(alg.value());
      if (a.isEmpty()) {
        return Optional.empty();
      }
      algorithm = a.get();
    }
    List<String> qop = new ArrayList<>();
    DigestParams.Param q = p.get("qop");
    if (q != null) {
      for (String option : q.value().split(",")) {
        String o = option.trim().toLowerCase(Locale.ROOT);
        if (!o.isEmpty() && o.chars().allMatch(DigestChallenge::isQopChar) && !qop.contains(o)) {
          qop.add(o);
        }
      }
    }
    DigestParams.Param stale = p.get("stale");
    Optional<String> opaque = Optional.ofNullable(p.get("opaque")).map(DigestParams.Param::value);
    return Optional.of(new DigestChallenge(realm.value(), nonce.value(), opaque, algorithm, qop,
        stale != null && stale.value().equalsIgnoreCase("true")));
  }

  private static boolean isQopChar(int c) {
    return c > 0x20 && c < 0x7F && c != ',' && c != '"' && c != '\\';
  }

  private static void requireHeaderSafe(String value, String what) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        throw new IllegalArgumentException(what + " contains a control character");
      }
    }
  }
}
