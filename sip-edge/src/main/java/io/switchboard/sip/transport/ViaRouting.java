package io.switchboard.sip.transport;

import io.netty.util.NetUtil;
import io.switchboard.sip.message.SipHeader;
import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipHeaders;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.Via;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two Via rules of the transport layer: what a server stamps on the top Via of a request it
 * receives (RFC 3261 §18.2.1, RFC 3581 §4), and where the response to it goes (RFC 3261 §18.2.2,
 * RFC 3581 §4).
 *
 * <p>The top Via is edited as text, one parameter at a time, so everything else in the header
 * keeps its octets (parameter order, spelling, the other Via values on the same line).
 */
final class ViaRouting {
  private ViaRouting() {}

  /**
   * RFC 3261 §18.2.1: add {@code received=<source address>} when the sent-by host differs from
   * the packet's source address (a name always differs); RFC 3581 §4: when the top Via has an
   * empty {@code rport}, set it to the source port and add {@code received} even if the host
   * matches. Returns {@code request} itself when nothing is to be added.
   */
  static SipRequest stamp(SipRequest request, InetSocketAddress source) {
    List<SipHeader> fields = request.headers().fields();
    for (int i = 0; i < fields.size(); i++) {
      SipHeader field = fields.get(i);
      if (!field.is(SipHeaderNames.VIA)) {
        continue;
      }
      String value = field.value();
      int comma = indexOfTopLevel(value, ',');
      String top = comma < 0 ? value : value.substring(0, comma);
      Optional<Via> via = Via.parse(top);
      if (via.isEmpty() || source.isUnresolved()) {
        return request;
      }
      boolean rportRequested = via.get().param("rport").map(String::isEmpty).orElse(false);
      boolean hostIsSource = ipLiteral(via.get().sentBy().host())
          .map(a -> Arrays.equals(a.getAddress(), source.getAddress().getAddress()))
          .orElse(false);
      if (!rportRequested && hostIsSource) {
        return request;
      }
      String stamped = top.strip();
      if (rportRequested) {
        stamped = withParam(stamped, "rport", Integer.toString(source.getPort()));
      }
      stamped = withParam(stamped, "received", addressText(source.getAddress()));
      List<SipHeader> out = new ArrayList<>(fields);
      out.set(i, new SipHeader(field.name(), comma < 0 ? stamped : stamped + value.substring(comma)));
      return request.withHeaders(new SipHeaders(out));
    }
    return request;
  }

  /**
   * RFC 3261 §18.2.2 for a request that arrived on {@code arrivedOn}: on a reliable transport the
   * response goes back on the same connection (same flow). On UDP it goes to the {@code received}
   * address, else the sent-by address, and to the {@code rport} port when it has a value (RFC 3581
   * §4), else the sent-by port (5060 by default). A sent-by name without {@code received} (which
   * the edge always adds) falls back to the packet's source address rather than resolving the name
   * on a transport thread. {@code maddr} (multicast) is not supported.
   */
  static Flow responseFlow(SipRequest request, Flow arrivedOn) {
    if (arrivedOn.transport().reliable()) {
      return arrivedOn;
    }
    Optional<Via> top = SipMessages.topVia(request);
    if (top.isEmpty()) {
      return arrivedOn;
    }
    Via via = top.get();
    InetAddress address = via.param("received").flatMap(ViaRouting::ipLiteral)
        .or(() -> ipLiteral(via.sentBy().host()))
        .orElse(arrivedOn.remote().getAddress());
    int port = via.param("rport").flatMap(ViaRouting::portNumber).orElse(via.sentByPortOrDefault());
    return new Flow(arrivedOn.transport(), arrivedOn.local(), new InetSocketAddress(address, port));
  }

  /** The address of an IPv4 or IPv6 literal (brackets allowed), without a DNS lookup. */
  static Optional<InetAddress> ipLiteral(String host) {
    String h = host.strip();
    if (h.length() > 1 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
      h = h.substring(1, h.length() - 1);
    }
    return Optional.ofNullable(NetUtil.createInetAddressFromIpAddressString(h));
  }

  /** An address as a Via {@code received} value: dotted IPv4, or IPv6 in RFC 5952 form without brackets. */
  static String addressText(InetAddress address) {
    return NetUtil.toAddressString(address);
  }

  private static Optional<Integer> portNumber(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
  }

  /** {@code element} with {@code ;name=value} replacing the parameter of that name, or appended. */
  static String withParam(String element, String name, String value) {
    List<String> segments = splitTopLevel(element, ';');
    StringBuilder out = new StringBuilder(element.length() + name.length() + value.length() + 2);
    out.append(segments.get(0));
    boolean replaced = false;
    for (int i = 1; i < segments.size(); i++) {
      String segment = segments.get(i);
      int eq = segment.indexOf('=');
      String segmentName = (eq < 0 ? segment : segment.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      out.append(';');
      if (!replaced && segmentName.equals(name)) {
        out.append(name).append('=').append(value);
        replaced = true;
      } else {
        out.append(segment);
      }
    }
    if (!replaced) {
      out.append(';').append(name).append('=').append(value);
    }
    return out.toString();
  }

  /** Index of {@code sep} outside quoted strings (RFC 3261 §25.1 quoted-string, with quoted-pair), or -1. */
  static int indexOfTopLevel(String s, char sep) {
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == sep) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> splitTopLevel(String s, char sep) {
    List<String> out = new ArrayList<>();
    String rest = s;
    int at;
    while ((at = indexOfTopLevel(rest, sep)) >= 0) {
      out.add(rest.substring(0, at));
      rest = rest.substring(at + 1);
    }
    out.add(rest);
    return out;
  }
}
