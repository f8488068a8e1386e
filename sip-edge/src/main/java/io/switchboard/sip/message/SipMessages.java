package io.switchboard.sip.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of the headers every layer needs, and responses built per RFC 3261 §8.2.6.2. Reads
 * return empty for a header that is absent or does not parse; messages that passed
 * {@link SipValidation} have every mandatory one.
 */
public final class SipMessages {
  private SipMessages() {}

  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(100, "Trying"), Map.entry(180, "Ringing"), Map.entry(181, "Call Is Being Forwarded"),
      Map.entry(182, "Queued"), Map.entry(183, "Session Progress"), Map.entry(200, "OK"),
      Map.entry(202, "Accepted"), Map.entry(300, "Multiple Choices"), Map.entry(301, "Moved Permanently"),
      Map.entry(302, "Moved Temporarily"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
      Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
      Map.entry(407, "Proxy Authentication Required"), Map.entry(408, "Request Timeout"),
      Map.entry(410, "Gone"), Map.entry(413, "Request Entity Too Large"), Map.entry(415, "Unsupported Media Type"),
      Map.entry(416, "Unsupported URI Scheme"), Map.entry(420, "Bad Extension"), Map.entry(423, "Interval Too Brief"),
      Map.entry(480, "Temporarily Unavailable"), Map.entry(481, "Call/Transaction Does Not Exist"),
      Map.entry(482, "Loop Detected"), Map.entry(483, "Too Many Hops"), Map.entry(484, "Address Incomplete"),
      Map.entry(486, "Busy Here"), Map.entry(487, "Request Terminated"), Map.entry(488, "Not Acceptable Here"),
      Map.entry(491, "Request Pending"), Map.entry(500, "Server Internal Error"), Map.entry(501, "Not Implemented"),
      Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Server Time-out"),
      Map.entry(505, "Version Not Supported"), Map.entry(513, "Message Too Large"), Map.entry(600, "Busy Everywhere"),
      Map.entry(603, "Decline"), Map.entry(604, "Does Not Exist Anywhere"), Map.entry(606, "Not Acceptable"));

  public static String reasonPhrase(int status) {
    String r = REASONS.get(status);
    if (r != null) {
      return r;
    }
    return status < 200 ? "Session Progress" : status < 300 ? "OK" : status < 400 ? "Redirect"
        : status < 500 ? "Client Error" : status < 600 ? "Server Error" : "Global Failure";
  }

  public static List<Via> vias(SipMessage m) {
    List<Via> out = new ArrayList<>();
    for (String v : m.headers().values(SipHeaderNames.VIA)) {
      Via.parse(v).ifPresent(out::add);
    }
    return out;
  }

  public static Optional<Via> topVia(SipMessage m) {
    List<String> values = m.headers().values(SipHeaderNames.VIA);
    return values.isEmpty() ? Optional.empty() : Via.parse(values.get(0));
  }

  public static String callId(SipMessage m) {
    return m.headers().first(SipHeaderNames.CALL_ID).map(SipGrammar::trimLws).orElse("");
  }

  public static Optional<CSeq> cseq(SipMessage m) {
    return m.headers().first(SipHeaderNames.CSEQ).flatMap(CSeq::parse);
  }

  public static Optional<NameAddress> from(SipMessage m) {
    return m.headers().first(SipHeaderNames.FROM).flatMap(NameAddress::parse);
  }

  public static Optional<NameAddress> to(SipMessage m) {
    return m.headers().first(SipHeaderNames.TO).flatMap(NameAddress::parse);
  }

  /** Every Contact, or none for {@code Contact: *} (see {@link #isWildcardContact}). */
  public static List<NameAddress> addresses(SipMessage m, String header) {
    List<NameAddress> out = new ArrayList<>();
    for (String v : m.headers().values(header)) {
      if (!v.trim().equals("*")) {
        NameAddress.parse(v).ifPresent(out::add);
      }
    }
    return out;
  }

  public static boolean isWildcardContact(SipMessage m) {
    List<String> v = m.headers().values(SipHeaderNames.CONTACT);
    return v.size() == 1 && v.get(0).trim().equals("*");
  }

  public static Optional<String> contentType(SipMessage m) {
    return m.headers().first(SipHeaderNames.CONTENT_TYPE)
        .map(v -> SipGrammar.trimLws(v.split(";", 2)[0]).toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The response to {@code request} that §8.2.6.2 describes: Via (all of them, in order), From,
   * Call-ID, CSeq and To copied; a To tag only when the caller adds one with {@link #withToTag}.
   */
  public static SipResponse response(SipRequest request, int status) {
    return response(request, status, reasonPhrase(status));
  }

  public static SipResponse response(SipRequest request, int status, String reason) {
    List<SipHeader> out = new ArrayList<>();
    for (SipHeader h : request.headers().fields()) {
      if (h.is(SipHeaderNames.VIA) || h.is(SipHeaderNames.FROM) || h.is(SipHeaderNames.TO)
          || h.is(SipHeaderNames.CALL_ID) || h.is(SipHeaderNames.CSEQ)) {
        out.add(h);
      }
    }
    if (status == 100) {
      request.headers().first("Timestamp").ifPresent(t -> out.add(new SipHeader("Timestamp", t)));
    }
    return new SipResponse("SIP/2.0", status, reason, new SipHeaders(out), SipBody.EMPTY);
  }

  /** The response with {@code tag} added to To, unless To already has one (an in-dialog request). */
  public static SipResponse withToTag(SipResponse response, String tag) {
    Optional<NameAddress> to = to(response);
    if (to.isEmpty() || to.get().tag().isPresent()) {
      return response;
    }
    return response.withHeaders(response.headers().withOnly(SipHeaderNames.TO, to.get().withTag(tag).toString()));
  }

  public static SipResponse withBody(SipResponse response, String contentType, byte[] body) {
    SipHeaders h = response.headers().withOnly(SipHeaderNames.CONTENT_TYPE, contentType);
    return new SipResponse(response.version(), response.status(), response.reason(), h, SipBody.of(body));
  }

  public static SipRequest withBody(SipRequest request, String contentType, byte[] body) {
    SipHeaders h = request.headers().withOnly(SipHeaderNames.CONTENT_TYPE, contentType);
    return new SipRequest(request.method(), request.requestUri(), request.version(), h, SipBody.of(body));
  }
}
