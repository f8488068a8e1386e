package io.switchboard.sip.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameter list of a {@code Digest} challenge or credentials value: {@code "Digest" LWS
 * auth-param *(COMMA auth-param)} with {@code auth-param = token EQUAL (token / quoted-string)}
 * (RFC 3261 §25.1, {@code challenge} and {@code credentials}; RFC 7235 §2.1).
 *
 * <p>Written by hand rather than on {@code SipParams} because these lists are separated by commas,
 * not semicolons, and because an attacker controls every octet of an Authorization header that
 * reaches us before any authentication: the parser is linear, bounded ({@link #MAX_LENGTH}), never
 * throws, and refuses anything ambiguous (a repeated parameter, an unterminated quoted string,
 * control characters) instead of guessing.
 */
final class DigestParams {

  /** Longest value accepted (4 KiB); a real Authorization value is a few hundred octets. */
  static final int MAX_LENGTH = 4096;

  /** A parameter value: quoted-string content with quoted-pairs resolved, or the token as sent. */
  record Param(String value, boolean quoted) {}

  private DigestParams() {}

  /**
   * Parameter name (lower case) to value, in order. Empty when the scheme is not "Digest"
   * (case-insensitive, RFC 7235 §2.1), when there are no parameters, or when anything does not
   * parse, including a parameter given twice (two different {@code nonce} values leave no
   * right answer, and RFC 7235 §2.1 says each parameter name occurs once per challenge).
   */
  static Optional<Map<String, Param>> parse(String value) {
    if (value == null || value.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String s = value;
    int n = s.length();
    int i = skipLws(s, 0);
    int start = i;
    while (i < n && isTokenChar(s.charAt(i))) {
      i++;
    }
    if (!s.substring(start, i).equalsIgnoreCase("Digest") || i >= n || !isLws(s.charAt(i))) {
      return Optional.empty();
    }
    Map<String, Param> out = new LinkedHashMap<>();
    while (true) {
      i = skipLws(s, i);
      if (i >= n) {
        break;
      }
      if (s.charAt(i) == ',') {
        i++; // empty list elements are allowed (RFC 7230 §7)
        continue;
      }
      start = i;
      while (i < n && isTokenChar(s.charAt(i))) {
        i++;
      }
      if (start == i) {
        return Optional.empty();
      }
      String name = s.substring(start, i).toLowerCase(Locale.ROOT);
      i = skipLws(s, i);
      if (i >= n || s.charAt(i) != '=') {
        return Optional.empty();
      }
      i = skipLws(s, i + 1);
      if (i >= n) {
        return Optional.empty();
      }
      Param param;
      if (s.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = s.charAt(i++);
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\') { // quoted-pair (RFC 3261 §25.1)
            if (i >= n) {
              return Optional.empty();
            }
            c = s.charAt(i++);
          }
          if (isControl(c)) {
            return Optional.empty();
          }
          b.append(c);
        }
        if (!closed) {
          return Optional.empty();
        }
        param = new Param(b.toString(), true);
      } else {
        start = i;
        while (i < n && isBareValueChar(s.charAt(i))) {
          i++;
        }
        if (start == i) {
          return Optional.empty();
        }
        param = new Param(s.substring(start, i), false);
      }
      if (out.putIfAbsent(name, param) != null) {
        return Optional.empty();
      }
      i = skipLws(s, i);
      if (i < n) {
        if (s.charAt(i) != ',') {
          return Optional.empty();
        }
        i++;
      }
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(Collections.unmodifiableMap(out));
  }

  private static int skipLws(String s, int i) {
    while (i < s.length() && isLws(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isLws(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\t') || c == 0x7F;
  }

  /** RFC 3261 §25.1 token. */
  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-.!%*_+`'~".indexOf(c) >= 0;
  }

  /**
   * Characters of an unquoted value: a token, widened to the visible ASCII characters other than
   * the list separator and the quote, because deployed servers send unquoted values such as
   * base64 nonces ("/", "=") that are not tokens. Which parameters may be unquoted at all is
   * decided by the callers.
   */
  private static boolean isBareValueChar(char c) {
    return c > 0x20 && c < 0x7F && c != ',' && c != '"';
  }
}
