package io.switchboard.sip.b2bua;

import io.switchboard.sip.message.SipUri;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;

/** Addresses, tags and URIs the edge writes into messages. */
public final class SipAddresses {
  public static final String USER_AGENT = "Switchboard";

  private static final SecureRandom RANDOM = new SecureRandom();

  private SipAddresses() {}

  public static SipUri.HostPort hostPort(InetSocketAddress address) {
    return new SipUri.HostPort(address.getAddress().getHostAddress(), OptionalInt.of(address.getPort()));
  }

  /** A tag (§19.3): 64 random bits are plenty for global uniqueness and unguessable. */
  public static String newTag() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A response made outside any dialog of ours (a refusal, a challenge): a fresh To tag (§8.2.6.2). */
  public static io.switchboard.sip.message.SipResponse tagged(io.switchboard.sip.message.SipResponse r) {
    return io.switchboard.sip.message.SipMessages.withToTag(r, newTag());
  }

  /** A Call-ID (§8.1.1.4) for a dialog we start. */
  public static String newCallId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Our Contact for a dialog: reachable on the flow's local address, the user part naming the leg. */
  public static String contact(Flow flow, String user) {
    SipUri uri = SipUri.of(flow.transport().secure() && flow.transport() == Transport.TLS ? "sips" : "sip",
        Optional.of(user), flow.local().getAddress().getHostAddress(), OptionalInt.of(flow.local().getPort()));
    if (flow.transport() != Transport.UDP && flow.transport() != Transport.TLS) {
      uri = uri.withParam("transport", flow.transport().name().toLowerCase(java.util.Locale.ROOT));
    }
    return "<" + uri + ">";
  }

  /**
   * Where a URI points, without DNS: the edge never blocks on a resolver, so only IP literals (and
   * "localhost") are dialled directly; names must come with a registered flow or a trunk address.
   */
  public static Optional<InetSocketAddress> literalAddress(SipUri uri) {
    String host = uri.host();
    if (host.equalsIgnoreCase("localhost")) {
      host = "127.0.0.1";
    }
    if (!isIpLiteral(host)) {
      return Optional.empty();
    }
    try {
      int port = uri.port().orElse(uri.scheme().equals("sips") || uri.transport().equals("TLS") ? 5061 : 5060);
      return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
  }

  public static boolean isIpLiteralHost(String host) {
    return isIpLiteral(host);
  }

  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
