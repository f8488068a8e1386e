package io.switchboard.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a digest response against the stored HA1 (RFC 3261 §22.4, RFC 7616 §3.4.1). The edge never
 * sees passwords, only {@code HA1 = H(username ":" realm ":" password)} from the directory, which is
 * all §3.4.2 needs.
 *
 * <p>This checks only the arithmetic. Before accepting a request the caller must also: check the
 * nonce ({@link NonceService#check}), compare {@code h.uri()} with the Request-URI
 * (RFC 2617 §3.2.2.5), compare the realm with the tenant's, and after success record the nonce
 * count ({@link NonceService#acceptNonceCount}).
 */
public final class DigestVerifier {
  private DigestVerifier() {}

  /**
   * True if {@code h.response()} is the request-digest for this method and HA1.
   *
   * <p>False, never an exception, when: the credentials name a different algorithm than
   * {@code alg} (the HA1 given would be of the wrong kind); {@code ha1Hex} is not a hash of
   * {@code alg} in hex; qop is anything but "auth". In particular qop=auth-int is refused: its HA2
   * covers the body hash (RFC 7616 §3.4.3), we never offer it in a challenge (a client may only
   * choose an offered qop, §3.4), and the edge authenticates requests before bodies matter.
   *
   * <p>Hex case is ignored on both values (RFC 7616 says lower-case, some clients send upper-case);
   * the comparison is {@link MessageDigest#isEqual}, whose time does not depend on where the values
   * differ: a byte-by-byte early exit would let a client learn the expected response by timing.
   *
   * @param method the method of the request being authenticated (RFC 3261 §22.4: A2 uses it)
   */
  public static boolean verify(DigestAuthorization h, String method, String ha1Hex, DigestAlgorithm alg) {
    Objects.requireNonNull(h, "h");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(alg, "alg");
    if (h.algorithm() != alg || !alg.isHex(ha1Hex) || !alg.isHex(h.response())) {
      return false;
    }
    Optional<DigestMath.QopAuth> qop = Optional.empty();
    if (h.qop().isPresent()) {
      if (!h.qop().get().equalsIgnoreCase("auth") || h.nc().isEmpty() || h.cnonce().isEmpty()) {
        return false;
      }
      qop = Optional.of(new DigestMath.QopAuth(h.qop().get(), h.nc().get(), h.cnonce().get()));
    }
    String expected = DigestMath.response(alg, ha1Hex.toLowerCase(Locale.ROOT), h.nonce(), method, h.uri(), qop);
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        h.response().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }
}
