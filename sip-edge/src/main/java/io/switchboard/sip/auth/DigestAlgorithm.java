package io.switchboard.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The digest algorithms SIP authentication uses: MD5 (RFC 2617 §3.2.1, the RFC 3261 §22.4 default)
 * and SHA-256 (RFC 7616 §3.3, brought to SIP by RFC 8760). The "-sess" variants and SHA-512/256 are
 * not supported: the directory stores HA1 for MD5 and SHA-256 only, and a session key adds nothing
 * for a server that already keeps HA1 per user.
 */
public enum DigestAlgorithm {
  MD5("MD5", "MD5"),
  SHA_256("SHA-256", "SHA-256");

  private final String wireName;
  private final String jcaName;
  private final int hexLength;

  DigestAlgorithm(String wireName, String jcaName) {
    this.wireName = wireName;
    this.jcaName = jcaName;
    this.hexLength = newDigest(jcaName).getDigestLength() * 2;
  }

  /** The token of the {@code algorithm} parameter (RFC 7616 §3.3): "MD5" or "SHA-256". */
  public String wireName() {
    return wireName;
  }

  /** Length of a hash in hex: 32 for MD5, 64 for SHA-256. */
  public int hexLength() {
    return hexLength;
  }

  /**
   * The algorithm named by an {@code algorithm} parameter. Case-insensitive: RFC 7616 §3.3 makes
   * the token case-insensitive in effect, and deployed UAs send "md5" as well as "MD5".
   * Empty for anything else, including "MD5-sess" and "SHA-512-256", which are not supported.
   */
  public static Optional<DigestAlgorithm> parse(String wire) {
    if (wire == null) {
      return Optional.empty();
    }
    String w = wire.trim();
    for (DigestAlgorithm a : values()) {
      if (a.wireName.equalsIgnoreCase(w)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Lower-case hex of the hash of these octets (RFC 7616 §3.4.1: {@code H(data)} is lower-case hex). */
  public String hash(byte[] octets) {
    Objects.requireNonNull(octets, "octets");
    return HexFormat.of().formatHex(newDigest(jcaName).digest(octets));
  }

  /**
   * Lower-case hex of the hash of the UTF-8 octets of {@code text}. UTF-8 is what the provisioning
   * side hashes {@code username:realm:password} with, and what RFC 7616 ({@code charset=UTF-8}, §3.3, §4)
   * assumes.
   */
  public String hash(String text) {
    Objects.requireNonNull(text, "text");
    return hash(text.getBytes(StandardCharsets.UTF_8));
  }

  /** True if {@code s} is a hash of this algorithm in hex (either case). */
  boolean isHex(String s) {
    return isAsciiHex(s, hexLength);
  }

  /**
   * {@code length} ASCII hex digits, either case. Not {@link Character#digit}, which also accepts
   * non-ASCII digits such as U+0663.
   */
  static boolean isAsciiHex(String s, int length) {
    if (s == null || s.length() != length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest newDigest(String jcaName) {
    try {
      // A new instance per use: MessageDigest is not thread-safe, and creating one is cheap.
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide " + jcaName, e);
    }
  }
}
