package io.switchboard.sip.message;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One Via element (RFC 3261 §20.42): {@code SIP/2.0/UDP host:port;branch=z9hG4bK...;rport}.
 * Parameter names are lower-cased; {@code rport} without a value maps to "".
 */
public record Via(String transport, SipUri.HostPort sentBy, Map<String, String> params) {

  /** RFC 3261 §8.1.1.7: branches of compliant elements start with this cookie. */
  public static final String MAGIC_COOKIE = "z9hG4bK";

  public Via {
    params = Map.copyOf(params);
  }

  public static Optional<Via> parse(String element) {
    if (SipGrammar.checkVia(element).isPresent()) {
      return Optional.empty();
    }
    String v = SipGrammar.trimLws(element);
    int semi = v.indexOf(';');
    String head = SipGrammar.trimLws(semi < 0 ? v : v.substring(0, semi));
    String transportAndHost = SipGrammar.trimLws(head.substring(head.lastIndexOf('/') + 1));
    int space = 0;
    while (space < transportAndHost.length() && !SipGrammar.isLws(transportAndHost.charAt(space))) {
      space++;
    }
    String transport = transportAndHost.substring(0, space).toUpperCase(java.util.Locale.ROOT);
    Map<String, String> params = semi < 0 ? Map.of() : SipParams.parse(v.substring(semi + 1));
    return SipUri.HostPort.parse(transportAndHost.substring(space)).map(hp -> new Via(transport, hp, params));
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  /** The branch, "" when absent (an RFC 2543 peer). */
  public String branch() {
    return param("branch").orElse("");
  }

  public boolean hasMagicCookie() {
    return branch().startsWith(MAGIC_COOKIE);
  }

  public Via with(String name, String value) {
    return new Via(transport, sentBy, SipParams.with(params, name, value));
  }

  /** The port to use when sent-by has none: 5061 for TLS, else 5060 (RFC 3261 §18.2.2). */
  public int sentByPortOrDefault() {
    OptionalInt p = sentBy.port();
    return p.isPresent() ? p.getAsInt() : transport.equals("TLS") || transport.equals("WSS") ? 5061 : 5060;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("SIP/2.0/").append(transport).append(' ').append(sentBy);
    SipParams.append(b, params);
    return b.toString();
  }
}
