package io.switchboard.call.directory;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address or CIDR block, parsed strictly and without DNS: dotted-quad IPv4 without
 * leading zeros, IPv6 in RFC 4291 §2.2 text form (at most one {@code ::}, an optional trailing
 * dotted quad, no zone), a prefix length without leading zeros, and no host bits set beyond the
 * prefix. A bare address is a block of one address ({@code /32} or {@code /128}).
 *
 * @param network 4 or 16 bytes
 */
record AddressBlock(byte[] network, int prefixLength) {
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
  private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  /** Why {@code text} is not a block (empty if it is one), for a message after the field name. */
  static Optional<String> problem(String text) {
    int slash = text.indexOf('/');
    Optional<byte[]> address = literal(slash < 0 ? text : text.substring(0, slash));
    if (address.isEmpty()) {
      return Optional.of("must be an IPv4 or IPv6 address or CIDR block such as 192.0.2.0/24 or 2001:db8::/32");
    }
    if (slash < 0) {
      return Optional.empty();
    }
    int bits = address.get().length * 8;
    String prefix = text.substring(slash + 1);
    if (!DECIMAL.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
      return Optional.of("the prefix length must be 0 to " + bits);
    }
    AddressBlock block = new AddressBlock(address.get(), Integer.parseInt(prefix));
    if (!Arrays.equals(block.network, masked(block.network, block.prefixLength))) {
      return Optional.of("has host bits set beyond /" + prefix);
    }
    return Optional.empty();
  }

  static Optional<AddressBlock> parse(String text) {
    if (problem(text).isPresent()) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    byte[] address = literal(slash < 0 ? text : text.substring(0, slash)).orElseThrow();
    return Optional.of(new AddressBlock(address,
        slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1))));
  }

  /** Whether {@code address} (4 or 16 bytes) is in this block; never across families. */
  boolean contains(byte[] address) {
    return address.length == network.length && Arrays.equals(masked(address, prefixLength), network);
  }

  /** A host for a SIP URI: an IPv4 or IPv6 literal (no brackets) or a DNS name whose last label is not numeric. */
  static boolean isHost(String host) {
    if (literal(host).isPresent()) {
      return true;
    }
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    for (String label : labels) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // RFC 1123 §2.1: a top-level label is never all digits, so "192.0.2.300" is a bad address, not a name.
    return !DIGITS.matcher(labels[labels.length - 1]).matches();
  }

  /** An IPv4 (4 bytes) or IPv6 (16 bytes) literal. */
  static Optional<byte[]> literal(String text) {
    return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
  }

  private static Optional<byte[]> ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!DECIMAL.matcher(parts[i]).matches() || Integer.parseInt(parts[i]) > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return Optional.of(bytes);
  }

  private static Optional<byte[]> ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return Optional.empty();
    }
    Optional<int[]> head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
    Optional<int[]> tail = gap < 0 ? Optional.of(new int[0]) : groups(text.substring(gap + 2), true);
    if (head.isEmpty() || tail.isEmpty()) {
      return Optional.empty();
    }
    int given = head.get().length + tail.get().length;
    if (gap < 0 ? given != 8 : given > 7) {
      return Optional.empty();
    }
    int[] all = new int[8];
    System.arraycopy(head.get(), 0, all, 0, head.get().length);
    System.arraycopy(tail.get(), 0, all, 8 - tail.get().length, tail.get().length);
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[2 * i] = (byte) (all[i] >> 8);
      bytes[2 * i + 1] = (byte) all[i];
    }
    return Optional.of(bytes);
  }

  /** Colon-separated 16-bit groups; a dotted quad may end the text when {@code last}. */
  private static Optional<int[]> groups(String text, boolean last) {
    if (text.isEmpty()) {
      return Optional.of(new int[0]);
    }
    String[] parts = text.split(":", -1);
    int[] values = new int[parts.length + 1];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      if (last && i == parts.length - 1 && parts[i].indexOf('.') >= 0) {
        Optional<byte[]> v4 = ipv4(parts[i]);
        if (v4.isEmpty()) {
          return Optional.empty();
        }
        values[n++] = (v4.get()[0] & 0xff) << 8 | (v4.get()[1] & 0xff);
        values[n++] = (v4.get()[2] & 0xff) << 8 | (v4.get()[3] & 0xff);
      } else if (HEX_GROUP.matcher(parts[i]).matches()) {
        values[n++] = Integer.parseInt(parts[i], 16);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(Arrays.copyOf(values, n));
  }

  private static byte[] masked(byte[] address, int prefixLength) {
    byte[] result = address.clone();
    for (int i = 0; i < result.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
      result[i] &= (byte) (0xff << (8 - keep));
    }
    return result;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressBlock b && b.prefixLength == prefixLength && Arrays.equals(b.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    return "AddressBlock[" + Arrays.toString(network) + "/" + prefixLength + "]";
  }
}
