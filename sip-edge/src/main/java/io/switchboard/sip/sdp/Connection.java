package io.switchboard.sip.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code c=} line (RFC 4566 §5.7): {@code c=<nettype> <addrtype> <connection-address>}.
 *
 * @param address the connection-address as written, including any multicast {@code /ttl/count}
 *                suffix; {@link #host()} is the address alone
 */
public record Connection(String netType, String addrType, String address) {

  public Connection {
    Objects.requireNonNull(netType, "netType");
    Objects.requireNonNull(addrType, "addrType");
    Objects.requireNonNull(address, "address");
  }

  /** The fields of a {@code c=} value; empty unless there are exactly three. */
  static Optional<Connection> parseValue(String value) {
    String[] f = SdpLines.fields(value);
    if (f.length != 3) {
      return Optional.empty();
    }
    for (String field : f) {
      if (!SdpLines.isField(field)) {
        return Optional.empty();
      }
    }
    return Optional.of(new Connection(f[0], f[1], f[2]));
  }

  /** The address without a multicast {@code /ttl} or {@code /number-of-addresses} suffix. */
  public String host() {
    int slash = address.indexOf('/');
    return slash < 0 ? address : address.substring(0, slash);
  }

  /**
   * {@code IN IP4 0.0.0.0}: RFC 2543 hold, which RFC 3264 §8.4 still requires an agent to understand
   * as "neither RTP nor RTCP is to be sent to the peer".
   */
  public boolean isUnspecifiedAddress() {
    return addrType.equalsIgnoreCase("IP4") && host().equals("0.0.0.0");
  }
}
