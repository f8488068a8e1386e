package io.switchboard.sip.message;

import io.switchboard.sip.message.SipVerdict.Acceptable;
import io.switchboard.sip.message.SipVerdict.Discard;
import io.switchboard.sip.message.SipVerdict.Reject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that need a whole, well-formed message: the cases RFC 4475 §3.2 and §3.3 say must parse
 * but be answered with an error (or dropped). Kept apart from {@link SipParser} so the edge can
 * still read Via, Call-ID and CSeq to build that answer (RFC 3261 §8.2.6).
 *
 * <p>This is the edge acting as a user agent server / B2BUA. Proxy-only rules (483 for
 * Max-Forwards 0, RFC 4475 §3.3.11) and method support (501, RFC 3261 §8.2.1) are decided later
 * by the component that knows them.
 */
public final class SipValidation {

  /** Option tags this edge implements; Require/Proxy-Require with anything else gets 420. */
  public static final Set<String> SUPPORTED_OPTION_TAGS = Set.of();

  /** Request-URI schemes we can route (RFC 3261 §8.2.2.1: otherwise 416). */
  private static final Set<String> REQUEST_URI_SCHEMES = Set.of("sip", "sips", "tel");

  /** Headers that carry exactly one value (RFC 3261 §7.3.1, §8.1.1; RFC 4475 §3.3.8, §3.3.9). */
  private static final List<String> SINGLE = List.of(
      SipHeaderNames.TO, SipHeaderNames.FROM, SipHeaderNames.CALL_ID, SipHeaderNames.CSEQ,
      SipHeaderNames.MAX_FORWARDS, SipHeaderNames.CONTENT_LENGTH, SipHeaderNames.CONTENT_TYPE);

  /**
   * Headers every request and response must carry (RFC 3261 §8.1.1). Max-Forwards is mandatory
   * for RFC 3261 requests, but RFC 4475 §3.4.1 asks us to accept RFC 2543 requests without it, so
   * its absence is tolerated here.
   */
  private static final List<String> REQUIRED = List.of(
      SipHeaderNames.TO, SipHeaderNames.FROM, SipHeaderNames.CALL_ID, SipHeaderNames.CSEQ,
      SipHeaderNames.VIA);

  /** Methods whose body we would interpret as a session description. */
  private static final Set<String> SESSION_METHODS = Set.of("INVITE", "ACK", "PRACK", "UPDATE");

  private static final String MAGIC_COOKIE = "z9hG4bK";

  private SipValidation() {}

  public static SipVerdict check(SipMessage message) {
    return check(message, SUPPORTED_OPTION_TAGS);
  }

  /** As {@link #check(SipMessage)}, with the option tags the caller implements (lower case). */
  public static SipVerdict check(SipMessage message, Set<String> supportedOptionTags) {
    Optional<String> structural = structure(message.headers());
    if (message instanceof SipResponse response) {
      if (structural.isPresent()) {
        return new Discard(structural.get());
      }
      return broadcastVia(response.headers()).<SipVerdict>map(Discard::new).orElse(new Acceptable());
    }
    SipRequest request = (SipRequest) message;
    if (structural.isPresent()) {
      return new Reject(400, structural.get());
    }
    return requestRules(request, supportedOptionTags).orElse(new Acceptable());
  }

  private static Optional<String> structure(SipHeaders headers) {
    for (String name : REQUIRED) {
      if (headers.count(name) == 0) {
        return Optional.of("missing " + name + " header"); // RFC 4475 §3.3.1
      }
    }
    for (String name : SINGLE) {
      if (headers.count(name) > 1) {
        return Optional.of("more than one " + name + " header"); // RFC 4475 §3.3.8, §3.3.9
      }
    }
    return Optional.empty();
  }

  private static Optional<SipVerdict> requestRules(SipRequest request, Set<String> supported) {
    SipHeaders headers = request.headers();
    String scheme = SipGrammar.scheme(request.requestUri()).orElse("");
    if (!REQUEST_URI_SCHEMES.contains(scheme)) {
      // RFC 3261 §8.2.2.1, RFC 4475 §3.3.2 and §3.3.3.
      return Optional.of(new Reject(416, "Request-URI scheme '" + scheme + "' is not supported"));
    }
    for (String via : headers.values(SipHeaderNames.VIA)) {
      if (SipGrammar.param(via, "branch").filter(MAGIC_COOKIE::equals).isPresent()) {
        // RFC 4475 §3.2.1: the bare magic cookie is neither an RFC 3261 branch nor an RFC 2543 one.
        return Optional.of(new Reject(400, "Via branch is the bare magic cookie"));
      }
    }
    if (request.method().equals("REGISTER")) {
      String aorScheme = headers.first(SipHeaderNames.TO).map(SipGrammar::uriOf)
          .flatMap(SipGrammar::scheme).orElse("");
      if (!aorScheme.equals("sip") && !aorScheme.equals("sips")) {
        // RFC 3261 §10.3 step 5, RFC 4475 §3.3.4: an address-of-record is a SIP or SIPS URI.
        return Optional.of(new Reject(400, "REGISTER To URI scheme '" + aorScheme + "' is not sip or sips"));
      }
    }
    if (!request.method().equals("ACK") && !request.method().equals("CANCEL")) {
      // RFC 3261 §8.2.2.3 (not for ACK or CANCEL), RFC 4475 §3.3.5 (Proxy-Require too).
      for (String header : List.of(SipHeaderNames.REQUIRE, SipHeaderNames.PROXY_REQUIRE)) {
        for (String tag : headers.values(header)) {
          if (!supported.contains(tag.toLowerCase(Locale.ROOT))) {
            return Optional.of(new Reject(420, header + " option tag '" + SipGrammar.clip(tag) + "' is not supported"));
          }
        }
      }
    }
    if (SESSION_METHODS.contains(request.method())) {
      Optional<SipVerdict> media = mediaRules(request);
      if (media.isPresent()) {
        return media;
      }
    }
    return Optional.empty();
  }

  private static Optional<SipVerdict> mediaRules(SipRequest request) {
    SipHeaders headers = request.headers();
    if (request.body().length() > 0) {
      String type = headers.first(SipHeaderNames.CONTENT_TYPE).map(SipValidation::mediaType).orElse("");
      if (type.isEmpty()) {
        return Optional.of(new Reject(400, "body without Content-Type")); // RFC 3261 §20.15
      }
      if (!type.equals("application/sdp") && !type.startsWith("multipart/")) {
        // RFC 3261 §8.2.3, RFC 4475 §3.3.6.
        return Optional.of(new Reject(415, "Content-Type " + SipGrammar.clip(type) + " is not supported"));
      }
    }
    if (request.method().equals("INVITE")) {
      List<String> accept = headers.values(SipHeaderNames.ACCEPT);
      boolean headerPresent = headers.count(SipHeaderNames.ACCEPT) > 0;
      boolean sdp = accept.stream().map(SipValidation::mediaType)
          .anyMatch(t -> t.equals("application/sdp") || t.equals("application/*") || t.equals("*/*"));
      if (headerPresent && !sdp) {
        // RFC 3261 §8.2.3 (answer bodies must be acceptable), RFC 4475 §3.3.15.
        return Optional.of(new Reject(406, "Accept does not include application/sdp"));
      }
    }
    return Optional.empty();
  }

  /** "type/subtype" in lower case, parameters removed. */
  private static String mediaType(String value) {
    int semi = value.indexOf(';');
    return SipGrammar.trimLws(semi < 0 ? value : value.substring(0, semi)).toLowerCase(Locale.ROOT);
  }

  /**
   * RFC 4475 §3.3.10: a response whose Via names the limited broadcast address must not be
   * forwarded there; as an endpoint we drop it.
   */
  private static Optional<String> broadcastVia(SipHeaders headers) {
    for (String via : headers.values(SipHeaderNames.VIA)) {
      if (SipGrammar.viaHost(via).equals("255.255.255.255")) {
        return Optional.of("Via sent-by is the broadcast address 255.255.255.255");
      }
    }
    return Optional.empty();
  }
}
