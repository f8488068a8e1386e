package io.switchboard.sip.sdp;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code o=} line (RFC 4566 §5.2):
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}.
 *
 * @param sessVersion kept as the decimal digits sent: RFC 4566 only says to use an NTP timestamp for
 *                    uniqueness, and real UAs send values beyond a long (NTP seconds times 2^32),
 *                    so it is incremented with {@link BigInteger}
 */
public record Origin(String username, String sessId, String sessVersion, String netType, String addrType,
                     String address) {

  static final int MAX_VERSION_DIGITS = 64;

  public Origin {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(sessId, "sessId");
    Objects.requireNonNull(sessVersion, "sessVersion");
    Objects.requireNonNull(netType, "netType");
    Objects.requireNonNull(addrType, "addrType");
    Objects.requireNonNull(address, "address");
    for (String field : new String[] {username, sessId, netType, addrType, address}) {
      if (!SdpLines.isField(field)) {
        throw new IllegalArgumentException("o= field is empty or holds white space or controls: " + field);
      }
    }
    if (!isVersion(sessVersion)) {
      throw new IllegalArgumentException("sess-version is not 1 to " + MAX_VERSION_DIGITS + " digits: " + sessVersion);
    }
  }

  /** The fields of an {@code o=} value; empty unless there are exactly six valid ones. */
  static Optional<Origin> parseValue(String value) {
    String[] f = SdpLines.fields(value);
    if (f.length != 6 || !isVersion(f[2])) {
      return Optional.empty();
    }
    for (String field : f) {
      if (!SdpLines.isField(field)) {
        return Optional.empty();
      }
    }
    return Optional.of(new Origin(f[0], f[1], f[2], f[3], f[4], f[5]));
  }

  /**
   * The same origin with sess-version one higher: RFC 3264 §8 requires it to increase by one in
   * every new offer or answer of a session that differs from the previous one.
   */
  public Origin withVersionIncremented() {
    return new Origin(username, sessId, new BigInteger(sessVersion).add(BigInteger.ONE).toString(), netType,
        addrType, address);
  }

  /** The whole line, {@code o=...}, fields separated by single spaces. */
  public String toLine() {
    return "o=" + String.join(" ", username, sessId, sessVersion, netType, addrType, address);
  }

  private static boolean isVersion(String s) {
    if (s.isEmpty() || s.length() > MAX_VERSION_DIGITS) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
