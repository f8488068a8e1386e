package io.switchboard.sip.auth;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Digest credentials: the value of an Authorization or Proxy-Authorization header
 * (RFC 3261 §22.2, §22.3, §25.1 {@code digest-response}; RFC 7616 §3.4).
 *
 * <p>Values are kept as sent (quoted-pairs resolved): the request-digest is computed over the
 * octets the client hashed, so nothing here is normalised. The parser is the first code that sees
 * attacker-controlled credentials, so it is strict: see {@link #parse}.
 *
 * @param username  as sent (the directory lookup key together with realm)
 * @param realm     the realm the client answered for
 * @param nonce     the server nonce being answered
 * @param uri       the digest-uri; the caller should check it against the Request-URI
 *                  (RFC 2617 §3.2.2.5) before trusting the request
 * @param response  the request-digest, hex
 * @param algorithm MD5 when absent (RFC 7616 §3.4, RFC 3261 §22.4)
 * @param cnonce    present exactly when qop is
 * @param qop       the single qop chosen by the client ("auth"; "auth-int" parses but never verifies)
 * @param nc        the nonce count as sent, 8 hex digits; present exactly when qop is
 * @param opaque    echoed from the challenge
 */
public record DigestAuthorization(String username, String realm, String nonce, String uri, String response,
                                  DigestAlgorithm algorithm, Optional<String> cnonce, Optional<String> qop,
                                  Optional<String> nc, Optional<String> opaque) {

  /** Parameters whose values RFC 7616 §3.4 defines as tokens, which clients also send quoted. */
  private static final Set<String> EITHER_QUOTED = Set.of("nc", "qop", "algorithm");

  /** Parameters whose values must be quoted-strings (RFC 3261 §25.1, RFC 7616 §3.4). */
  private static final Set<String> MUST_QUOTE = Set.of("username", "realm", "nonce", "uri", "response", "cnonce",
      "opaque");

  public DigestAuthorization {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(cnonce, "cnonce");
    Objects.requireNonNull(qop, "qop");
    Objects.requireNonNull(nc, "nc");
    Objects.requireNonNull(opaque, "opaque");
  }

  /** The nonce count as a number (RFC 7616 §3.4: {@code nc-value = 8LHEX}), when qop was used. */
  public OptionalLong nonceCount() {
    return nc.map(v -> OptionalLong.of(Long.parseLong(v, 16))).orElse(OptionalLong.empty());
  }

  /**
   * Parses an Authorization / Proxy-Authorization value. Never throws; empty when:
   * <ul>
   *   <li>the scheme is not Digest, or the value is longer than 4 KiB;</li>
   *   <li>a parameter appears twice, or a quoted string is unterminated or holds control characters;</li>
   *   <li>username, realm, nonce, uri or response is missing, or any of those, cnonce or opaque is
   *       not a quoted-string (only nc, qop and algorithm are tolerated both ways, since RFC 2617
   *       defines them as tokens and deployed clients quote them anyway);</li>
   *   <li>the algorithm is not MD5 or SHA-256, or response is not a hash of that algorithm in hex;</li>
   *   <li>qop is present without cnonce and nc, or cnonce/nc without qop (RFC 7616 §3.4: cnonce and
   *       nc are sent with a qop and only with one);</li>
   *   <li>nc is not 8 hex digits, or is zero;</li>
   *   <li>{@code userhash=true} (RFC 7616 §3.4.4): we never offer it, so the username would be a
   *       hash we cannot look up.</li>
   * </ul>
   * Unknown parameters are ignored (RFC 7616 §3.4: unrecognized parameters are ignored).
   */
  public static Optional<DigestAuthorization> parse(String headerValue) {
    Optional<Map<String, DigestParams.Param>> parsed = DigestParams.parse(headerValue);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    Map<String, DigestParams.Param> p = parsed.get();
    for (Map.Entry<String, DigestParams.Param> e : p.entrySet()) {
      if (MUST_QUOTE.contains(e.getKey()) && !e.getValue().quoted()) {
        return Optional.empty();
      }
      if (EITHER_QUOTED.contains(e.getKey()) && e.getValue().value().isEmpty()) {
        return Optional.empty();
      }
    }
    DigestParams.Param userhash = p.get("userhash");
    if (userhash != null && userhash.value().equalsIgnoreCase("true")) {
      return Optional.empty();
    }
    Optional<String> username = value(p, "username");
    Optional<String> realm = value(p, "realm");
    Optional<String> nonce = value(p, "nonce").filter(v -> !v.isEmpty());
    Optional<String> uri = value(p, "uri").filter(v -> !v.isEmpty());
    Optional<String> response = value(p, "response");
    if (username.isEmpty() || realm.isEmpty() || nonce.isEmpty() || uri.isEmpty() || response.isEmpty()) {
      return Optional.empty();
    }
    DigestAlgorithm algorithm = DigestAlgorithm.MD5;
    Optional<String> alg = value(p, "algorithm");
    if (alg.isPresent()) {
      Optional<DigestAlgorithm> a = DigestAlgorithm.parse(alg.get());
      if (a.isEmpty()) {
        return Optional.empty();
      }
      algorithm = a.get();
    }
    if (!algorithm.isHex(response.get())) {
      return Optional.empty();
    }
    Optional<String> qop = value(p, "qop");
    Optional<String> cnonce = value(p, "cnonce");
    Optional<String> nc = value(p, "nc");
    if (qop.isPresent() != cnonce.isPresent() || qop.isPresent() != nc.isPresent()) {
      return Optional.empty();
    }
    if (qop.isPresent() && (!isQopToken(qop.get()) || cnonce.get().isEmpty() || !isNonceCount(nc.get()))) {
      return Optional.empty();
    }
    return Optional.of(new DigestAuthorization(username.get(), realm.get(), nonce.get(), uri.get(), response.get(),
        algorithm, cnonce, qop, nc, value(p, "opaque")));
  }

  private static Optional<String> value(Map<String, DigestParams.Param> p, String name) {
    return Optional.ofNullable(p.get(name)).map(DigestParams.Param::value);
  }

  /** One qop-value token: a list ("auth,auth-int") is a challenge's, never a response's. */
  private static boolean isQopToken(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return !v.isEmpty();
  }

  /** {@code nc-value = 8LHEX} (RFC 7616 §3.4), accepted in either case, and not zero (counts start at 1). */
  private static boolean isNonceCount(String v) {
    return DigestAlgorithm.isAsciiHex(v, 8) && Long.parseLong(v, 16) != 0;
  }
}
