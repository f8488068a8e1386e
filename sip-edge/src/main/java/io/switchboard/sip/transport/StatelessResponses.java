package io.switchboard.sip.transport;

import io.switchboard.sip.message.SipBody;
import io.switchboard.sip.message.SipHeader;
import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipHeaders;
import io.switchboard.sip.message.SipLimits;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipParseResult.Malformed;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.message.SipValidation;
import io.switchboard.sip.message.SipVerdict.Reject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The error responses the transport layer sends itself, without a transaction (RFC 3261 §8.2.6,
 * sent statelessly as in §16.11): for requests {@code SipValidation} rejects, and for malformed
 * requests whose Via, From, To, Call-ID and CSeq can still be read from the raw text. ACK is never
 * answered (RFC 3261 §17.1.1.3: it has no response), and neither is any response.
 */
final class StatelessResponses {

  /** Longest Reason-Phrase we send; the detail beyond it is in the debug log. */
  static final int MAX_REASON_LENGTH = 200;

  /** Header fields a response copies from its request (RFC 3261 §8.2.6.2). */
  private static final List<String> COPIED = List.of(
      SipHeaderNames.VIA, SipHeaderNames.FROM, SipHeaderNames.TO, SipHeaderNames.CALL_ID, SipHeaderNames.CSEQ);

  private StatelessResponses() {}

  /**
   * The response to a rejected request, with {@code reason} as Reason-Phrase. For 420 the
   * Unsupported header lists the option tags of Require and Proxy-Require we lack (RFC 3261
   * §8.2.2.3, §20.40).
   */
  static Optional<SipResponse> forReject(SipRequest request, Reject reject) {
    if (request.method().equals("ACK")) {
      return Optional.empty();
    }
    SipResponse response = SipMessages.response(request, reject.status(), reasonPhrase(reject.reason(), reject.status()));
    if (reject.status() == 420) {
      Set<String> unsupported = new LinkedHashSet<>();
      for (String header : List.of(SipHeaderNames.REQUIRE, SipHeaderNames.PROXY_REQUIRE)) {
        for (String tag : request.headers().values(header)) {
          if (!SipValidation.SUPPORTED_OPTION_TAGS.contains(tag.toLowerCase(Locale.ROOT))) {
            unsupported.add(tag);
          }
        }
      }
      if (!unsupported.isEmpty()) {
        response = response.withHeaders(response.headers().plus("Unsupported", String.join(", ", unsupported)));
      }
    }
    return Optional.of(response);
  }

  /**
   * The response to a malformed message, if it looks like a request (not a Status-Line, not ACK)
   * and at least one each of Via, From, To, Call-ID and CSeq can be salvaged from its header
   * lines. Those lines are copied as they are: they are what the client will match the response
   * on (RFC 3261 §17.1.3), even if one of them is what made the message malformed.
   */
  static Optional<SipResponse> forMalformed(byte[] raw, Malformed malformed) {
    String text = new String(raw, 0, Math.min(raw.length, SipLimits.MAX_MESSAGE_SIZE), StandardCharsets.ISO_8859_1);
    int headerEnd = text.indexOf("\r\n\r\n");
    String[] lines = (headerEnd < 0 ? text : text.substring(0, headerEnd)).split("\r?\n", -1);
    int first = 0;
    while (first < lines.length && lines[first].isEmpty()) {
      first++; // keep-alive CRLFs before the start line (RFC 3261 §7.5)
    }
    if (first >= lines.length || lines[first].startsWith("SIP/")) {
      return Optional.empty(); // nothing, or a response: never answered
    }
    String method = lines[first].split(" ", 2)[0];
    List<StringBuilder> unfolded = new ArrayList<>();
    for (int i = first + 1; i < lines.length && unfolded.size() <= SipLimits.MAX_HEADER_COUNT; i++) {
      String line = lines[i];
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
        if (!unfolded.isEmpty()) {
          unfolded.get(unfolded.size() - 1).append(' ').append(line.strip());
        }
      } else {
        unfolded.add(new StringBuilder(line));
      }
    }
    List<SipHeader> salvaged = new ArrayList<>();
    for (StringBuilder line : unfolded) {
      int colon = line.indexOf(":");
      if (colon <= 0) {
        continue;
      }
      try {
        SipHeader header = new SipHeader(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        if (COPIED.stream().anyMatch(header::is)) {
          salvaged.add(header);
        }
      } catch (IllegalArgumentException notAHeader) {
        // A name that is not a token: not one we can copy.
      }
    }
    SipHeaders headers = new SipHeaders(salvaged);
    if (COPIED.stream().anyMatch(name -> headers.count(name) == 0)) {
      return Optional.empty();
    }
    String cseqMethod = headers.first(SipHeaderNames.CSEQ).map(v -> v.substring(v.lastIndexOf(' ') + 1)).orElse("");
    if (method.equals("ACK") || cseqMethod.equals("ACK")) {
      return Optional.empty();
    }
    SipRequest request = new SipRequest(method, "sip:invalid", "SIP/2.0", headers, SipBody.EMPTY);
    int status = malformed.statusToSend();
    return Optional.of(SipMessages.response(request, status, reasonPhrase(malformed.reason(), status)));
  }

  /**
   * {@code reason} made a legal Reason-Phrase (RFC 3261 §25.1: reserved, unreserved, escaped,
   * UTF-8, SP, HTAB): characters outside those become '?', "§" becomes "section ", and it is
   * clipped to {@link #MAX_REASON_LENGTH}. Falls back to the standard phrase when nothing is left.
   */
  static String reasonPhrase(String reason, int status) {
    StringBuilder b = new StringBuilder(Math.min(reason.length(), MAX_REASON_LENGTH) + 8);
    for (int i = 0; i < reason.length() && b.length() < MAX_REASON_LENGTH; i++) {
      char c = reason.charAt(i);
      if (c == '\u00a7') {
        b.append("section ");
      } else if (c == ' ' || (c > ' ' && c < 0x7f && "\"<>#[]{}|\\^`".indexOf(c) < 0)) {
        b.append(c);
      } else {
        b.append('?');
      }
    }
    String phrase = b.toString().strip();
    if (phrase.length() > MAX_REASON_LENGTH) {
      phrase = phrase.substring(0, MAX_REASON_LENGTH).strip();
    }
    return phrase.isEmpty() ? SipMessages.reasonPhrase(status) : phrase;
  }
}
