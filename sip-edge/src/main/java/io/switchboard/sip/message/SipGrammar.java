package io.switchboard.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Small pieces of the RFC 3261 §25 grammar shared by the parser and the validation. Checks return
 * an error text (empty when the input conforms); nothing here throws on any input.
 */
final class SipGrammar {

  private SipGrammar() {}

  /** LWS characters inside an unfolded line (§25.1: SP / HTAB). */
  static boolean isLws(char c) {
    return c == ' ' || c == '\t';
  }

  static String trimLws(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && isLws(s.charAt(from))) {
      from++;
    }
    while (to > from && isLws(s.charAt(to - 1))) {
      to--;
    }
    return s.substring(from, to);
  }

  /** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") (§25.1). */
  static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-.!%*_+`'~".indexOf(c) >= 0;
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTokenChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isDigits(String s) {
    if (s.isEmpty()) {
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

  /**
   * The value of a 1*DIGIT string if it does not exceed {@code max}; leading zeros are legal
   * (RFC 4475 §3.1.1.1 sends "0068" and "0009"). Empty when not digits or too large: the digits
   * are never turned into a number that could overflow.
   */
  static Optional<Long> boundedNumber(String s, long max) {
    if (!isDigits(s)) {
      return Optional.empty();
    }
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    String significant = s.substring(i);
    if (significant.length() > 18) {
      return Optional.empty();
    }
    long value = Long.parseLong(significant);
    return value <= max ? Optional.of(value) : Optional.empty();
  }

  /** Index of the '"' closing the quoted string opened at {@code open}, or -1 if it never closes. */
  static int endOfQuoted(String s, int open) {
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++; // quoted-pair: the next character is literal, even '"' (§25.1)
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Splits at {@code sep} where it is neither inside a quoted string nor inside {@code <...>}.
   * Empty when a quoted string is unterminated or a '<' is never closed: the caller reports it.
   */
  static Optional<List<String>> splitTopLevel(String s, char sep) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    boolean inAngle = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        int close = endOfQuoted(s, i);
        if (close < 0) {
          return Optional.empty();
        }
        i = close;
      } else if (c == '<' && !inAngle) {
        inAngle = true;
      } else if (c == '>' && inAngle) {
        inAngle = false;
      } else if (c == sep && !inAngle) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    if (inAngle) {
      return Optional.empty();
    }
    parts.add(s.substring(start));
    return Optional.of(parts);
  }

  /** The URI scheme in lower case, or empty when the text has no {@code scheme ":"} prefix. */
  static Optional<String> scheme(String uri) {
    int colon = uri.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    char first = uri.charAt(0);
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
      return Optional.empty();
    }
    for (int i = 1; i < colon; i++) {
      char c = uri.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '+' || c == '-' || c == '.';
      if (!ok) {
        return Optional.empty();
      }
    }
    return Optional.of(uri.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  /**
   * Sanity of an absolute URI (§25.1 absoluteURI / SIP-URI): a scheme, something after it, and no
   * octet that cannot appear in a URI unescaped (SP, HTAB, controls, '<', '>', '"', non-ASCII).
   * This is what rejects RFC 4475 §3.1.2.7 (Request-URI in brackets), §3.1.2.8 (LWS in the
   * Request-URI) and §3.1.2.14 (spaces in an addr-spec).
   */
  static Optional<String> checkUri(String uri) {
    if (uri.isEmpty()) {
      return Optional.of("empty URI");
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '"') {
        return Optional.of("URI contains an unescaped " + describe(c));
      }
    }
    Optional<String> scheme = scheme(uri);
    if (scheme.isEmpty()) {
      return Optional.of("URI has no scheme");
    }
    if (uri.length() == scheme.get().length() + 1) {
      return Optional.of("URI has nothing after the scheme");
    }
    return Optional.empty();
  }

  /**
   * True if a sip/sips URI carries a headers component ("?" after the host part). RFC 3261
   * §19.1.1 and RFC 4475 §3.1.2.11: headers are not allowed in a Request-URI. A '?' in the user
   * part (before the last '@') is legal (RFC 4475 §3.1.1.2).
   */
  static boolean sipUriHasHeaders(String uri) {
    int at = uri.lastIndexOf('@');
    int hostStart = at >= 0 ? at + 1 : uri.indexOf(':') + 1;
    return uri.indexOf('?', hostStart) >= 0;
  }

  private static String describe(char c) {
    if (c == ' ') {
      return "space";
    }
    if (c < 0x20 || c == 0x7F) {
      return String.format("control octet 0x%02X", (int) c);
    }
    if (c > 0x7F) {
      return String.format("non-ASCII octet 0x%02X", (int) c);
    }
    return "'" + c + "'";
  }

  /**
   * Checks {@code *( SEMI generic-param )} where {@code rest} starts right after the thing the
   * parameters belong to. Catches the stray semicolons of RFC 4475 §3.1.2.1.
   */
  static Optional<String> checkParams(String rest) {
    String trimmed = trimLws(rest);
    if (trimmed.isEmpty()) {
      return Optional.empty();
    }
    if (trimmed.charAt(0) != ';') {
      return Optional.of("unexpected text '" + clip(trimmed) + "' where ';' or the end was expected");
    }
    Optional<List<String>> split = splitTopLevel(trimmed.substring(1), ';');
    if (split.isEmpty()) {
      return Optional.of("unterminated quoted string in a parameter");
    }
    for (String raw : split.get()) {
      String param = trimLws(raw);
      if (param.isEmpty()) {
        return Optional.of("empty parameter (stray ';')");
      }
      int eq = param.indexOf('=');
      String name = trimLws(eq < 0 ? param : param.substring(0, eq));
      if (!isToken(name)) {
        return Optional.of("parameter name '" + clip(name) + "' is not a token");
      }
      if (eq >= 0) {
        String value = trimLws(param.substring(eq + 1));
        Optional<String> bad = checkParamValue(value);
        if (bad.isPresent()) {
          return Optional.of("parameter " + name + ": " + bad.get());
        }
      }
    }
    return Optional.empty();
  }

  /** gen-value = token / host / quoted-string (§25.1); IPv6 references bring '[', ']' and ':'. */
  private static Optional<String> checkParamValue(String value) {
    if (value.isEmpty()) {
      return Optional.of("empty value");
    }
    if (value.charAt(0) == '"') {
      int close = endOfQuoted(value, 0);
      if (close < 0) {
        return Optional.of("unterminated quoted string");
      }
      return close == value.length() - 1 ? Optional.empty() : Optional.of("text after quoted string");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isTokenChar(c) && c != '[' && c != ']' && c != ':') {
        return Optional.of("value contains " + describe(c));
      }
    }
    return Optional.empty();
  }

  /**
   * One name-addr or addr-spec with parameters, as in To, From, Contact, Route (§20.10, §25.1):
   * {@code [ display-name ] "<" URI ">" *(SEMI param)} or {@code addr-spec *(SEMI param)}.
   */
  static Optional<String> checkNameAddr(String value) {
    String v = trimLws(value);
    if (v.isEmpty()) {
      return Optional.of("empty value");
    }
    int lt = -1;
    for (int i = 0; i < v.length() && lt < 0; i++) {
      char c = v.charAt(i);
      if (c == '"') {
        int close = endOfQuoted(v, i);
        if (close < 0) {
          return Optional.of("unterminated quoted string"); // RFC 4475 §3.1.2.6
        }
        i = close;
      } else if (c == '<') {
        lt = i;
      } else if (c == ';' || c == '>') {
        break;
      }
    }
    if (lt < 0) {
      return checkAddrSpec(v);
    }
    Optional<String> display = checkDisplayName(trimLws(v.substring(0, lt)));
    if (display.isPresent()) {
      return display;
    }
    int gt = v.indexOf('>', lt);
    if (gt < 0) {
      return Optional.of("'<' without '>'");
    }
    Optional<String> uri = checkUri(v.substring(lt + 1, gt));
    if (uri.isPresent()) {
      return uri;
    }
    return checkParams(v.substring(gt + 1));
  }

  /**
   * display-name = *(token LWS) / quoted-string (§25.1). RFC 4475 §3.1.1.6 (no LWS before '<')
   * is accepted; §3.1.2.15 (unquoted comma) is not.
   */
  private static Optional<String> checkDisplayName(String display) {
    if (display.isEmpty()) {
      return Optional.empty();
    }
    if (display.charAt(0) == '"') {
      int close = endOfQuoted(display, 0);
      return close == display.length() - 1
          ? Optional.empty()
          : Optional.of("text after the quoted display name");
    }
    for (int i = 0; i < display.length(); i++) {
      char c = display.charAt(i);
      if (!isTokenChar(c) && !isLws(c)) {
        return Optional.of("display name has " + describe(c) + " outside quotes");
      }
    }
    return Optional.empty();
  }

  /**
   * addr-spec without brackets: its parameters start at the first ';'. RFC 3261 §20.10: a URI with
   * a comma, '?' or ';' must be in name-addr form, so '?' or ',' here is an error (RFC 4475
   * §3.1.2.13).
   */
  private static Optional<String> checkAddrSpec(String v) {
    int semi = v.indexOf(';');
    String uri = trimLws(semi < 0 ? v : v.substring(0, semi));
    if (uri.indexOf('?') >= 0 || uri.indexOf(',') >= 0) {
      return Optional.of("URI with '?' or ',' must be enclosed in <>");
    }
    Optional<String> bad = checkUri(uri);
    if (bad.isPresent()) {
      return bad;
    }
    return semi < 0 ? Optional.empty() : checkParams(v.substring(semi));
  }

  /** The URI of a name-addr or addr-spec value, assuming it passed {@link #checkNameAddr}. */
  static String uriOf(String value) {
    String v = trimLws(value);
    Optional<List<String>> parts = splitTopLevel(v, ';');
    String head = parts.map(p -> p.get(0)).orElse(v);
    int lt = head.lastIndexOf('<');
    int gt = head.lastIndexOf('>');
    if (lt >= 0 && gt > lt) {
      return head.substring(lt + 1, gt);
    }
    return trimLws(head);
  }

  /**
   * via-parm = sent-protocol LWS sent-by *( SEMI via-params ) (§25.1); LWS is allowed around the
   * '/' of sent-protocol (RFC 4475 §3.1.1.1).
   */
  static Optional<String> checkVia(String element) {
    String v = trimLws(element);
    if (v.isEmpty()) {
      return Optional.of("empty Via value (stray ',')");
    }
    int semi = v.indexOf(';');
    String head = trimLws(semi < 0 ? v : v.substring(0, semi));
    String[] proto = head.split("/", -1);
    if (proto.length != 3) {
      return Optional.of("sent-protocol is not name/version/transport");
    }
    if (!isToken(trimLws(proto[0])) || !isToken(trimLws(proto[1]))) {
      return Optional.of("sent-protocol name or version is not a token");
    }
    String transportAndHost = trimLws(proto[2]);
    int space = 0;
    while (space < transportAndHost.length() && !isLws(transportAndHost.charAt(space))) {
      space++;
    }
    if (!isToken(transportAndHost.substring(0, space))) {
      return Optional.of("transport is not a token");
    }
    Optional<String> sentBy = checkSentBy(trimLws(transportAndHost.substring(space)));
    if (sentBy.isPresent()) {
      return sentBy;
    }
    return semi < 0 ? Optional.empty() : checkParams(v.substring(semi));
  }

  /** sent-by = host [ COLON port ], host possibly an IPv6reference "[...]" (§25.1). */
  private static Optional<String> checkSentBy(String sentBy) {
    if (sentBy.isEmpty()) {
      return Optional.of("sent-by is missing");
    }
    String host;
    String port;
    if (sentBy.charAt(0) == '[') {
      int close = sentBy.indexOf(']');
      if (close < 0) {
        return Optional.of("IPv6 reference without ']'");
      }
      host = sentBy.substring(1, close);
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
          return Optional.of("IPv6 reference contains " + describe(c));
        }
      }
      if (host.indexOf(':') < 0) {
        return Optional.of("IPv6 reference has no ':'");
      }
      String after = sentBy.substring(close + 1);
      if (!after.isEmpty() && after.charAt(0) != ':') {
        return Optional.of("unexpected text after IPv6 reference");
      }
      port = after.isEmpty() ? "" : trimLws(after.substring(1));
      if (after.startsWith(":") && port.isEmpty()) {
        return Optional.of("empty port");
      }
    } else {
      int colon = sentBy.indexOf(':');
      host = trimLws(colon < 0 ? sentBy : sentBy.substring(0, colon));
      port = colon < 0 ? "" : trimLws(sentBy.substring(colon + 1));
      if (colon >= 0 && port.isEmpty()) {
        return Optional.of("empty port");
      }
      if (host.isEmpty()) {
        return Optional.of("sent-by host is empty");
      }
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_';
        if (!ok) {
          return Optional.of("sent-by host contains " + describe(c));
        }
      }
    }
    if (!port.isEmpty() && boundedNumber(port, 65535).isEmpty()) {
      return Optional.of("sent-by port is not a number 0..65535");
    }
    return Optional.empty();
  }

  /** The sent-by host of a Via value that passed {@link #checkVia}, brackets removed for IPv6. */
  static String viaHost(String element) {
    String v = trimLws(element);
    int semi = v.indexOf(';');
    String head = trimLws(semi < 0 ? v : v.substring(0, semi));
    int lastSlash = head.lastIndexOf('/');
    String transportAndHost = trimLws(head.substring(lastSlash + 1));
    int space = 0;
    while (space < transportAndHost.length() && !isLws(transportAndHost.charAt(space))) {
      space++;
    }
    String sentBy = trimLws(transportAndHost.substring(space));
    if (sentBy.startsWith("[")) {
      int close = sentBy.indexOf(']');
      return close < 0 ? sentBy.substring(1) : sentBy.substring(1, close);
    }
    int colon = sentBy.indexOf(':');
    return trimLws(colon < 0 ? sentBy : sentBy.substring(0, colon));
  }

  /**
   * The value of parameter {@code name} (case-insensitive) of a Via value or of a name-addr whose
   * display name has no '>' (the parameters start at the first ';' after any '>').
   */
  static Optional<String> param(String value, String name) {
    String v = value;
    int gt = v.indexOf('>');
    int semi = v.indexOf(';', Math.max(gt, 0));
    if (semi < 0) {
      return Optional.empty();
    }
    for (String raw : splitTopLevel(v.substring(semi + 1), ';').orElse(List.of())) {
      String p = trimLws(raw);
      int eq = p.indexOf('=');
      String n = trimLws(eq < 0 ? p : p.substring(0, eq));
      if (n.equalsIgnoreCase(name)) {
        return Optional.of(eq < 0 ? "" : trimLws(p.substring(eq + 1)));
      }
    }
    return Optional.empty();
  }

  static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
