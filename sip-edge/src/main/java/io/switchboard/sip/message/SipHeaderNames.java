package io.switchboard.sip.message;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header name knowledge: compact forms, canonical spelling and which headers are comma lists. */
public final class SipHeaderNames {

  public static final String VIA = "Via";
  public static final String TO = "To";
  public static final String FROM = "From";
  public static final String CALL_ID = "Call-ID";
  public static final String CSEQ = "CSeq";
  public static final String CONTACT = "Contact";
  public static final String CONTENT_LENGTH = "Content-Length";
  public static final String CONTENT_TYPE = "Content-Type";
  public static final String MAX_FORWARDS = "Max-Forwards";
  public static final String ROUTE = "Route";
  public static final String RECORD_ROUTE = "Record-Route";
  public static final String DATE = "Date";
  public static final String REQUIRE = "Require";
  public static final String PROXY_REQUIRE = "Proxy-Require";
  public static final String ACCEPT = "Accept";

  /** Compact forms: RFC 3261 §7.3.3 and §20, plus the IANA registry (RFC 3515, 3841, 3892, 4028, 6665, 8224). */
  private static final Map<String, String> COMPACT = Map.ofEntries(
      Map.entry("a", "Accept-Contact"),
      Map.entry("b", "Referred-By"),
      Map.entry("c", CONTENT_TYPE),
      Map.entry("d", "Request-Disposition"),
      Map.entry("e", "Content-Encoding"),
      Map.entry("f", FROM),
      Map.entry("i", CALL_ID),
      Map.entry("j", "Reject-Contact"),
      Map.entry("k", "Supported"),
      Map.entry("l", CONTENT_LENGTH),
      Map.entry("m", CONTACT),
      Map.entry("o", "Event"),
      Map.entry("r", "Refer-To"),
      Map.entry("s", "Subject"),
      Map.entry("t", TO),
      Map.entry("u", "Allow-Events"),
      Map.entry("v", VIA),
      Map.entry("x", "Session-Expires"),
      Map.entry("y", "Identity"));

  private static final List<String> KNOWN = List.of(
      "Accept", "Accept-Contact", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow",
      "Allow-Events", "Authentication-Info", "Authorization", CALL_ID, "Call-Info", CONTACT,
      "Content-Disposition", "Content-Encoding", "Content-Language", CONTENT_LENGTH, CONTENT_TYPE,
      CSEQ, DATE, "Error-Info", "Event", "Expires", FROM, "Identity", "In-Reply-To", MAX_FORWARDS,
      "Min-Expires", "MIME-Version", "Organization", "Path", "Priority", "Proxy-Authenticate",
      "Proxy-Authorization", PROXY_REQUIRE, "Record-Route", "Refer-To", "Referred-By",
      "Reject-Contact", "Reply-To", "Request-Disposition", REQUIRE, "Retry-After", ROUTE,
      "Server", "Service-Route", "Session-Expires", "Subject", "Supported", "Timestamp", TO,
      "Unsupported", "User-Agent", VIA, "Warning", "WWW-Authenticate");

  private static final Map<String, String> BY_LOWER = new HashMap<>();

  static {
    for (String name : KNOWN) {
      BY_LOWER.put(name.toLowerCase(Locale.ROOT), name);
    }
  }

  /**
   * Headers whose grammar is {@code 1#element} (RFC 3261 §7.3.1: several fields of that name may
   * be combined with commas, so a comma at the top level separates values). Authorization-type
   * headers and Date are deliberately absent: their commas do not separate values.
   */
  private static final Set<String> LISTS = Set.of(
      "Accept", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow", "Allow-Events",
      "Call-Info", CONTACT, "Content-Encoding", "Content-Language", "Error-Info", "In-Reply-To",
      "Path", PROXY_REQUIRE, RECORD_ROUTE, REQUIRE, ROUTE, "Service-Route", "Supported",
      "Unsupported", VIA, "Warning");

  private SipHeaderNames() {}

  static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String compact = COMPACT.get(lower);
    if (compact != null) {
      return compact;
    }
    return BY_LOWER.getOrDefault(lower, name);
  }

  static boolean isList(String name) {
    return LISTS.contains(canonical(name));
  }
}
