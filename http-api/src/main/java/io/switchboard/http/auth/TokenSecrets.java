package io.switchboard.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The token format and its hashing. A token reads {@code sbt_<id>_<secret>}: {@code id} is 16 hex
 * digits (it names the token in lists and in {@code DELETE /api/v1/tokens/{id}}), {@code secret}
 * is 32 random bytes in unpadded base64url (43 characters). The prefix lets secret scanners
 * recognise leaked tokens. Only bcrypt of the whole token is stored.
 */
public final class TokenSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern TOKEN = Pattern.compile("sbt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");

  private TokenSecrets() {}

  /** A new token: its id and its plain value (shown once, never stored). */
  public record NewToken(String tokenId, String value) {
    @Override
    public String toString() {
      return "NewToken[" + tokenId + "]"; // never the value
    }
  }

  public static NewToken generate() {
    byte[] id = new byte[8];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    String tokenId = HexFormat.of().formatHex(id);
    return new NewToken(tokenId, "sbt_" + tokenId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** The token id, if {@code value} has the token format. */
  public static Optional<String> tokenId(String value) {
    Matcher m = TOKEN.matcher(value);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** bcrypt (slow: run it on {@link CredentialHashing}). The token is 64 bytes, under bcrypt's 72-byte limit. */
  public static String hash(String value, int cost) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate(value.toCharArray(), salt, cost);
  }

  /** Constant-time check of {@code value} against a stored bcrypt hash (slow). */
  public static boolean matches(String storedHash, String value) {
    try {
      return OpenBSDBCrypt.checkPassword(storedHash, value.toCharArray());
    } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException e) {
      return false; // a malformed stored hash authenticates nobody
    }
  }

  /** The cache key of a verified token: fast, and the token itself never sits in memory as a key. */
  public static String cacheKey(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
