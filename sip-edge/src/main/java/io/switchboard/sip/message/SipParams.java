package io.switchboard.sip.message;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code *( SEMI generic-param )} as an ordered map: names lower-cased, valueless parameters map to "". */
public final class SipParams {
  private SipParams() {}

  /** Parses the text after the first ';' (quoted values keep their quotes). */
  public static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : SipGrammar.splitTopLevel(text, ';').orElse(List.of())) {
      String p = SipGrammar.trimLws(raw);
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String name = SipGrammar.trimLws(eq < 0 ? p : p.substring(0, eq)).toLowerCase(Locale.ROOT);
      out.putIfAbsent(name, eq < 0 ? "" : SipGrammar.trimLws(p.substring(eq + 1)));
    }
    return out;
  }

  static void append(StringBuilder b, Map<String, String> params) {
    params.forEach((k, v) -> {
      b.append(';').append(k);
      if (!v.isEmpty()) {
        b.append('=').append(v);
      }
    });
  }

  static Map<String, String> with(Map<String, String> params, String name, String value) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put(name.toLowerCase(Locale.ROOT), value);
    return p;
  }

  /** A quoted-string's content with quoted-pairs resolved; other values as they are. */
  public static String unquote(String value) {
    if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
      return value;
    }
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 1; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length() - 1) {
        c = value.charAt(++i);
      }
      b.append(c);
    }
    return b.toString();
  }

  /** {@code "value"} with '"' and '\' escaped (RFC 3261 §25.1 quoted-pair). */
  public static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
