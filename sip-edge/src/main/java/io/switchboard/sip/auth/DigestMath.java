package io.switchboard.sip.auth;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The request-digest of RFC 7616 §3.4.1 (RFC 2617 §3.2.2.1), shared by the verifier and the client
 * so that both sides are the same code.
 *
 * <p>Octets: everything after A1 is header text (nonce, nc, cnonce, qop) or the method and digest-uri.
 * The SIP layer carries header text as ISO-8859-1 strings, one char per wire octet (SipParser
 * decodes, SipEncoder encodes that way), so these strings are hashed as ISO-8859-1 to hash exactly
 * the octets that were, or will be, on the wire. HA1 arrives already hashed.
 */
final class DigestMath {
  private DigestMath() {}

  /**
   * {@code KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2)} with qop, or the RFC 2069 form
   * {@code KD(HA1, nonce ":" HA2)} without; {@code HA2 = H(method ":" digest-uri)} (qop=auth only).
   */
  static String response(DigestAlgorithm alg, String ha1Hex, String nonce, String method, String digestUri,
                         Optional<QopAuth> qop) {
    String ha2 = alg.hash(wire(method + ":" + digestUri));
    String data = qop
        .map(q -> nonce + ":" + q.nc() + ":" + q.cnonce() + ":" + q.qop() + ":" + ha2)
        .orElse(nonce + ":" + ha2);
    return alg.hash(wire(ha1Hex + ":" + data));
  }

  /** The qop=auth inputs, as sent. */
  record QopAuth(String qop, String nc, String cnonce) {}

  private static byte[] wire(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
