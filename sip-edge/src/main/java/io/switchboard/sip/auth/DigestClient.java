package io.switchboard.sip.auth;

import io.switchboard.sip.message.SipParams;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Our side as a UAC answering a carrier's challenge (outbound trunk registration, calls through a
 * carrier): builds the Authorization / Proxy-Authorization value of RFC 3261 §22.2–§22.3 and
 * RFC 7616 §3.4. The same {@link DigestMath} computes what {@link DigestVerifier} checks.
 */
public final class DigestClient {
  private static final SecureRandom RANDOM = new SecureRandom();

  private DigestClient() {}

  /** {@code H(username ":" realm ":" password)} (RFC 7616 §3.4.2), lower-case hex, over UTF-8. */
  public static String ha1(DigestAlgorithm alg, String username, String realm, String password) {
    Objects.requireNonNull(alg, "alg");
    return alg.hash(Objects.requireNonNull(username, "username") + ":" + Objects.requireNonNull(realm, "realm")
        + ":" + Objects.requireNonNull(password, "password"));
  }

  /**
   * A fresh client nonce: 16 random octets in hex. RFC 7616 §3.4 wants it unpredictable, since it
   * protects against chosen-plaintext attacks by a malicious server.
   */
  public static String newCnonce() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * The credentials value answering {@code c}:
   * {@code Digest username="…", realm="…", nonce="…", uri="…", response="…", algorithm=…}, then
   * {@code cnonce="…", qop=auth, nc=00000001} when the challenge offered qop=auth, then
   * {@code opaque="…"} echoed when the challenge had one (RFC 7616 §3.4: the client returns it unchanged).
   *
   * @param digestUri the Request-URI of the request (RFC 2617 §3.2.2: the digest-uri duplicates the Request-URI)
   * @param cnonce    only used with qop; see {@link #newCnonce()}
   * @param nc        how many requests this is with this nonce, from 1 (RFC 7616 §3.4)
   * @throws IllegalArgumentException if the challenge offers qop but not "auth" (we do not compute
   *     auth-int, and answering without qop would be refused by the server), or nc is out of
   *     1..0xFFFFFFFF, cnonce is empty when qop is used, or a value holds a control character (header injection)
   */
  public static String authorization(DigestChallenge c, String method, String digestUri, String username,
                                     String password, String cnonce, long nc) {
    Objects.requireNonNull(c, "c");
    return authorizationWithHa1(c, method, digestUri, username, ha1(c.algorithm(), username, c.realm(), password),
        cnonce, nc);
  }

  /** As {@link #authorization}, for a trunk whose configuration stores HA1 instead of the password. */
  public static String authorizationWithHa1(DigestChallenge c, String method, String digestUri, String username,
                                            String ha1Hex, String cnonce, long nc) {
    Objects.requireNonNull(c, "c");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(digestUri, "digestUri");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(ha1Hex, "ha1Hex");
    Objects.requireNonNull(cnonce, "cnonce");
    for (String v : new String[] {method, digestUri, username, cnonce}) {
      if (v.chars().anyMatch(ch -> (ch < 0x20 && ch != '\t') || ch == 0x7F)) {
        throw new IllegalArgumentException("control character in a header parameter");
      }
    }
    if (!c.qop().isEmpty() && !c.offersQopAuth()) {
      throw new IllegalArgumentException("challenge offers qop " + c.qop() + " but not auth");
    }
    if (c.offersQopAuth() && cnonce.isEmpty()) {
      throw new IllegalArgumentException("qop=auth needs a cnonce");
    }
    if (nc < 1 || nc > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("nc out of range: " + nc);
    }
    if (!c.algorithm().isHex(ha1Hex)) {
      throw new IllegalArgumentException("ha1 is not a " + c.algorithm().wireName() + " hash in hex");
    }
    Optional<DigestMath.QopAuth> qop = c.offersQopAuth()
        ? Optional.of(new DigestMath.QopAuth("auth", String.format("%08x", nc), cnonce))
        : Optional.empty();
    String response = DigestMath.response(c.algorithm(), ha1Hex.toLowerCase(Locale.ROOT), c.nonce(),
        method, digestUri, qop);
    StringBuilder b = new StringBuilder("Digest username=").append(SipParams.quote(username))
        .append(", realm=").append(SipParams.quote(c.realm()))
        .append(", nonce=").append(SipParams.quote(c.nonce()))
        .append(", uri=").append(SipParams.quote(digestUri))
        .append(", response=\"").append(response).append('"')
        .append(", algorithm=").append(c.algorithm().wireName());
    qop.ifPresent(q -> b.append(", cnonce=").append(SipParams.quote(q.cnonce()))
        .append(", qop=").append(q.qop())
        .append(", nc=").append(q.nc()));
    c.opaque().ifPresent(o -> b.append(", opaque=").append(SipParams.quote(o)));
    return b.toString();
  }
}
