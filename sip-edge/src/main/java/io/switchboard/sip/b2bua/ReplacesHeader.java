package io.switchboard.sip.b2bua;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Replaces header (RFC 3891 §6.1): {@code call-id;to-tag=X;from-tag=Y}, as it arrives escaped
 * among the URI headers of a REFER's Refer-To ({@code ?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2}).
 */
public record ReplacesHeader(String callId, String toTag, String fromTag, boolean earlyOnly) {

  /** From the headers part of a URI ({@code name=value&...}); empty without a well-formed Replaces. */
  public static Optional<ReplacesHeader> fromUriHeaders(String headers) {
    for (String h : headers.split("&")) {
      int eq = h.indexOf('=');
      if (eq > 0 && h.substring(0, eq).equalsIgnoreCase("Replaces")) {
        try {
          return parse(URLDecoder.decode(h.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  public static Optional<ReplacesHeader> parse(String value) {
    String[] parts = value.trim().split(";");
    if (parts.length < 3 || parts[0].isBlank()) {
      return Optional.empty();
    }
    String to = null;
    String from = null;
    boolean early = false;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
      String v = eq < 0 ? "" : p.substring(eq + 1).trim();
      switch (name) {
        case "to-tag" -> to = v;
        case "from-tag" -> from = v;
        case "early-only" -> early = true;
        default -> { }
      }
    }
    if (to == null || from == null || to.isEmpty() || from.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ReplacesHeader(parts[0].trim(), to, from, early));
  }
}
