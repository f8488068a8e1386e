package io.switchboard.http.admin;

import io.switchboard.call.directory.SipCredentials;
import io.switchboard.call.directory.TrunkCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Turns a SIP password into what the directory stores: bcrypt of the password, and the digest HA1
 * values {@code H(username:realm:password)} with MD5 (RFC 2617 §3.2.2.2) and SHA-256
 * (RFC 7616 §3.4.2, required by RFC 8760 for SIP). Slow (bcrypt): run on {@code CredentialHashing}.
 */
final class SipPasswords {
  static final int MIN_LENGTH = 8;
  /** bcrypt reads at most 72 bytes; longer passwords would be cut silently. */
  static final int MAX_BYTES = 72;
  private static final SecureRandom RANDOM = new SecureRandom();

  private SipPasswords() {}

  /** Empty if acceptable, else the reason (for {@code sipPassword: ...}). */
  static java.util.Optional<String> problem(String password) {
    if (password.codePointCount(0, password.length()) < MIN_LENGTH
        || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return java.util.Optional.of("must be " + MIN_LENGTH + " characters to " + MAX_BYTES + " bytes (UTF-8)");
    }
    return java.util.Optional.empty();
  }

  static SipCredentials credentials(String username, String realm, String password, int bcryptCost) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    String hash = OpenBSDBCrypt.generate(password.toCharArray(), salt, bcryptCost);
    String a1 = username + ":" + realm + ":" + password;
    return new SipCredentials(username, realm, hash, digest("MD5", a1), digest("SHA-256", a1));
  }

  /** A carrier's password is whatever the carrier issued: only its length is bounded. */
  static final int MAX_TRUNK_PASSWORD_LENGTH = 256;

  /** Empty if acceptable as a trunk password, else the reason (for {@code password: ...}). */
  static java.util.Optional<String> trunkProblem(String password) {
    if (password.isEmpty() || password.length() > MAX_TRUNK_PASSWORD_LENGTH) {
      return java.util.Optional.of("must be 1 to " + MAX_TRUNK_PASSWORD_LENGTH + " characters");
    }
    return java.util.Optional.empty();
  }

  /**
   * What we store to answer a carrier's digest challenges as its client: the HA1 values only
   * (no bcrypt: we never check this password, we only prove we know it). Cheap, but still run on
   * {@code CredentialHashing} like every password, off the actors and the HTTP threads.
   */
  static TrunkCredentials trunkCredentials(String username, String realm, String password) {
    String a1 = username + ":" + realm + ":" + password;
    return new TrunkCredentials(username, realm, digest("MD5", a1), digest("SHA-256", a1));
  }

  static String digest(String algorithm, String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has " + algorithm, e);
    }
  }
}
