package io.switchboard.sip.message;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A sip: or sips: URI split into its parts (RFC 3261 §19.1): {@code sip:user:password@host:port;params?headers}.
 * Host keeps IPv6 brackets off ({@code ::1}); {@link #hostPort()} puts them back. Parameter names are
 * lower-cased; values keep their spelling. Anything that is not sip/sips (tel:, urn:) does not parse.
 */
public record SipUri(String scheme, Optional<String> user, String host, OptionalInt port,
                     Map<String, String> params, String headers) {

  public SipUri {
    params = Map.copyOf(params);
  }

  public static SipUri of(String scheme, Optional<String> user, String host, OptionalInt port) {
    return new SipUri(scheme, user, host, port, Map.of(), "");
  }

  public static Optional<SipUri> parse(String text) {
    String t = SipGrammar.trimLws(text);
    int colon = t.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String scheme = t.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      return Optional.empty();
    }
    String rest = t.substring(colon + 1);
    String headers = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      headers = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    Optional<String> user = Optional.empty();
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      int pw = userInfo.indexOf(':');
      user = Optional.of(pw < 0 ? userInfo : userInfo.substring(0, pw));
      rest = rest.substring(at + 1);
    }
    String hostPort = rest;
    Map<String, String> params = new LinkedHashMap<>();
    int semi = rest.indexOf(';', rest.startsWith("[") ? Math.max(rest.indexOf(']'), 0) : 0);
    if (semi >= 0) {
      hostPort = rest.substring(0, semi);
      for (String p : rest.substring(semi + 1).split(";")) {
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        params.putIfAbsent((eq < 0 ? p : p.substring(0, eq)).toLowerCase(Locale.ROOT), eq < 0 ? "" : p.substring(eq + 1));
      }
    }
    String uriHeaders = headers;
    Optional<String> userPart = user;
    return HostPort.parse(hostPort).map(h -> new SipUri(scheme, userPart, h.host(), h.port(), params, uriHeaders));
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The transport this URI asks for: its transport parameter, TLS for sips:, else UDP (RFC 3263 §4.1 without DNS). */
  public String transport() {
    return param("transport").map(s -> s.toUpperCase(Locale.ROOT)).orElse(scheme.equals("sips") ? "TLS" : "UDP");
  }

  public String hostPort() {
    return new HostPort(host, port).toString();
  }

  public SipUri withUser(Optional<String> newUser) {
    return new SipUri(scheme, newUser, host, port, params, headers);
  }

  public SipUri withParam(String name, String value) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put(name.toLowerCase(Locale.ROOT), value);
    return new SipUri(scheme, user, host, port, p, headers);
  }

  public SipUri withoutParam(String name) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.remove(name.toLowerCase(Locale.ROOT));
    return new SipUri(scheme, user, host, port, p, headers);
  }

  public SipUri withoutHeaders() {
    return new SipUri(scheme, user, host, port, params, "");
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(scheme).append(':');
    user.ifPresent(u -> b.append(u).append('@'));
    b.append(hostPort());
    params.forEach((k, v) -> {
      b.append(';').append(k);
      if (!v.isEmpty()) {
        b.append('=').append(v);
      }
    });
    if (!headers.isEmpty()) {
      b.append('?').append(headers);
    }
    return b.toString();
  }

  /** host [":" port], host an IPv6 reference in brackets or a name/IPv4 address. */
  public record HostPort(String host, OptionalInt port) {
    public static Optional<HostPort> parse(String text) {
      String s = SipGrammar.trimLws(text);
      if (s.isEmpty()) {
        return Optional.empty();
      }
      String host;
      String port = "";
      if (s.charAt(0) == '[') {
        int close = s.indexOf(']');
        if (close < 0) {
          return Optional.empty();
        }
        host = s.substring(1, close);
        String after = s.substring(close + 1);
        if (after.startsWith(":")) {
          port = after.substring(1);
        } else if (!after.isEmpty()) {
          return Optional.empty();
        }
      } else {
        int c = s.indexOf(':');
        host = c < 0 ? s : s.substring(0, c);
        port = c < 0 ? "" : s.substring(c + 1);
      }
      if (host.isEmpty()) {
        return Optional.empty();
      }
      if (port.isEmpty()) {
        return Optional.of(new HostPort(host, OptionalInt.empty()));
      }
      return SipGrammar.boundedNumber(SipGrammar.trimLws(port), 65535)
          .map(p -> new HostPort(host, OptionalInt.of(p.intValue())));
    }

    @Override
    public String toString() {
      String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
      return port.isPresent() ? h + ":" + port.getAsInt() : h;
    }
  }
}
