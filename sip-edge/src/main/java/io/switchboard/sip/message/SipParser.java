package io.switchboard.sip.message;

import io.switchboard.sip.message.SipParseResult.Malformed;
import io.switchboard.sip.message.SipParseResult.NeedMoreBytes;
import io.switchboard.sip.message.SipParseResult.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Decodes SIP messages (RFC 3261 §7, §20, §25) from a UDP datagram or from the octets buffered on
 * a stream connection. Every outcome is a {@link SipParseResult}; no input makes it throw, and
 * every scan is bounded by {@link SipLimits}.
 *
 * <p>The decoder runs in fixed stages, like Netty's {@code HttpObjectDecoder}: skip keep-alive
 * CRLFs, find the end of the header section, read the start line, unfold and split the header
 * fields, check the fields whose syntax the edge depends on, then frame the body.
 *
 * <p>What it rejects is what RFC 4475 §3.1.2 calls malformed. What is well-formed but wrong
 * (missing or repeated headers, unknown schemes, unsupported extensions) is parsed and left to
 * {@link SipValidation}, because RFC 4475 §3.3 wants those answered, not dropped.
 */
public final class SipParser {

  private static final String VERSION = "SIP/2.0";

  /** Methods of RFC 3261 and its extensions that we recognise; used only to pick 501 over 400. */
  private static final Set<String> KNOWN_METHODS = Set.of(
      "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY",
      "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");

  /** SIP-date = rfc1123-date, always "GMT" (RFC 3261 §20.17, §25.1). */
  private static final Pattern RFC1123_GMT = Pattern.compile(
      "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
          + " [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");

  private SipParser() {}

  /**
   * One UDP datagram. Never returns {@link NeedMoreBytes}: a datagram is all there is. Without
   * Content-Length the body is the rest of the datagram (RFC 3261 §18.3); octets after the body
   * are returned as trailing bytes (RFC 4475 §3.1.1.8).
   */
  public static SipParseResult parse(byte[] datagram) {
    return decode(datagram, false);
  }

  /**
   * The octets buffered on a stream connection (TCP, TLS), starting where the previous message
   * ended. Returns {@link NeedMoreBytes} while the message is incomplete and {@link Parsed} with
   * the octets of following messages as trailing bytes. Content-Length is mandatory here (RFC 3261
   * §18.3, §20.14) and a Malformed result means framing is lost: close the connection.
   */
  public static SipParseResult parseStream(byte[] buffered) {
    return decode(buffered, true);
  }

  private static SipParseResult decode(byte[] in, boolean stream) {
    // RFC 3261 §7.5: implementations should ignore CRLFs before the start line (keep-alives).
    int start = 0;
    while (start + 1 < in.length && in[start] == '\r' && in[start + 1] == '\n') {
      start += 2;
    }
    if (!stream && in.length > SipLimits.MAX_MESSAGE_SIZE) {
      return tooLarge("datagram of " + in.length + " octets exceeds " + SipLimits.MAX_MESSAGE_SIZE);
    }
    if (start >= in.length || (stream && start == in.length - 1 && in[start] == '\r')) {
      return stream ? new NeedMoreBytes() : bad("no start line (empty or keep-alive only)");
    }

    // Stage 1: find the empty line that ends the header section, bounding every line.
    int lineStart = start;
    int emptyLine = -1;
    for (int i = start; i < in.length && emptyLine < 0; i++) {
      byte b = in[i];
      if (b == '\n') {
        if (i == start || in[i - 1] != '\r') {
          return bad("bare LF in the header section (RFC 3261 §7: lines end with CRLF)");
        }
        if (i - 1 == lineStart) {
          emptyLine = lineStart;
        }
        lineStart = i + 1;
      } else if (b == '\r' && i + 1 < in.length && in[i + 1] != '\n') {
        return bad("bare CR in the header section (RFC 3261 §7: lines end with CRLF)");
      } else if (i - lineStart >= SipLimits.MAX_LINE_LENGTH) {
        return tooLarge("line longer than " + SipLimits.MAX_LINE_LENGTH + " octets");
      }
      if (i - start >= SipLimits.MAX_MESSAGE_SIZE) {
        return tooLarge("header section longer than " + SipLimits.MAX_MESSAGE_SIZE + " octets");
      }
    }
    if (emptyLine < 0) {
      return stream
          ? new NeedMoreBytes()
          : bad("header section is not ended by an empty line (RFC 3261 §7)");
    }
    int bodyStart = emptyLine + 2;

    // Stage 2: lines and the start line. ISO-8859-1 maps each octet to one char, so nothing is
    // lost or replaced.
    String head = new String(in, start, emptyLine - start, StandardCharsets.ISO_8859_1);
    List<String> lines = splitCrlf(head);
    Line first = lines.get(0).startsWith("SIP/") ? statusLine(lines.get(0)) : requestLine(lines.get(0));
    if (first instanceof LineError e) {
      return e.malformed();
    }
    StartLine parsedStart = (StartLine) first;

    // Stage 3: unfold (RFC 3261 §7.3.1: a line starting with SP or HTAB continues the previous
    // field, and the fold is equivalent to one SP) and split name from value.
    List<StringBuilder> unfolded = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (SipGrammar.isLws(line.charAt(0))) {
        if (unfolded.isEmpty()) {
          return bad("continuation line before the first header (the start line cannot be folded)");
        }
        unfolded.get(unfolded.size() - 1).append(' ').append(SipGrammar.trimLws(line));
      } else {
        if (unfolded.size() == SipLimits.MAX_HEADER_COUNT) {
          return tooLarge("more than " + SipLimits.MAX_HEADER_COUNT + " header fields");
        }
        unfolded.add(new StringBuilder(line));
      }
    }
    List<SipHeader> fields = new ArrayList<>(unfolded.size());
    for (StringBuilder field : unfolded) {
      String f = field.toString();
      int colon = f.indexOf(':');
      if (colon < 0) {
        return bad("header line without ':' (" + SipGrammar.clip(f) + ")");
      }
      // RFC 3261 §7.3.1 allows LWS between the name and the colon ("TO :", RFC 4475 §3.1.1.1).
      String name = SipGrammar.trimLws(f.substring(0, colon));
      if (!SipGrammar.isToken(name)) {
        return bad("header name '" + SipGrammar.clip(name) + "' is not a token");
      }
      fields.add(new SipHeader(name, SipGrammar.trimLws(f.substring(colon + 1))));
    }
    SipHeaders headers = new SipHeaders(fields);

    // Stage 4: the headers the edge must be able to trust.
    Optional<Malformed> headerError = checkHeaders(headers, parsedStart);
    if (headerError.isPresent()) {
      return headerError.get();
    }

    // Stage 5: body, framed strictly by Content-Length (RFC 3261 §18.3, §20.14).
    List<SipHeader> lengths = headers.all(SipHeaderNames.CONTENT_LENGTH);
    int available = in.length - bodyStart;
    int bodyLength;
    if (lengths.isEmpty()) {
      if (stream) {
        return bad("Content-Length is required on stream transports (RFC 3261 §20.14)");
      }
      bodyLength = available;
    } else {
      // checkHeaders has bounded every value by MAX_CONTENT_LENGTH.
      bodyLength = Integer.parseInt(stripZeros(lengths.get(0).value()));
      boolean conflicting = lengths.stream()
          .anyMatch(h -> Integer.parseInt(stripZeros(h.value())) != bodyLength);
      if (conflicting && stream) {
        // RFC 4475 §3.3.9: conflicting lengths are a framing error; on a stream nothing after
        // this point can be trusted.
        return bad("conflicting Content-Length values");
      }
      // On UDP the datagram is framed anyway: frame by the first value and let SipValidation
      // answer 400 for the conflict (RFC 4475 §3.3.9 lists it as semantically invalid).
    }
    if ((long) bodyStart - start + bodyLength > SipLimits.MAX_MESSAGE_SIZE) {
      return tooLarge("message with its body exceeds " + SipLimits.MAX_MESSAGE_SIZE + " octets");
    }
    if (bodyLength > available) {
      return stream
          ? new NeedMoreBytes()
          // RFC 4475 §3.1.2.2: over UDP a Content-Length beyond the datagram is answered 400.
          : bad("Content-Length " + bodyLength + " exceeds the " + available + " octets after the headers");
    }
    byte[] body = Arrays.copyOfRange(in, bodyStart, bodyStart + bodyLength);
    byte[] trailing = Arrays.copyOfRange(in, bodyStart + bodyLength, in.length);
    SipMessage message = parsedStart.response
        ? new SipResponse(parsedStart.version, parsedStart.status, parsedStart.reason, headers, SipBody.of(body))
        : new SipRequest(parsedStart.method, parsedStart.uri, parsedStart.version, headers, SipBody.of(body));
    return new Parsed(message, trailing);
  }

  /** A start line or why it is not one; private carriers, never exposed. */
  private sealed interface Line permits StartLine, LineError {}

  private record StartLine(boolean response, String method, String uri, String version, int status, String reason)
      implements Line {}

  private record LineError(Malformed malformed) implements Line {}

  /**
   * Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1, §25.1). Exactly one SP
   * between elements: RFC 4475 §3.1.2.8-§3.1.2.10 (LWS in the URI, extra SP, trailing SP) are
   * rejected rather than guessed at, since a liberal reading must not be forwarded anyway.
   */
  private static Line requestLine(String line) {
    String[] parts = line.split(" ", -1);
    if (parts.length < 3) {
      return new LineError(bad("Request-Line needs Method SP Request-URI SP SIP-Version"));
    }
    if (parts.length > 3) {
      return new LineError(bad("Request-Line has extra SP (LWS in the Request-URI or around its elements)"));
    }
    String method = parts[0];
    String uri = parts[1];
    String version = parts[2];
    if (method.isEmpty() || uri.isEmpty() || version.isEmpty()) {
      return new LineError(bad("Request-Line has an empty element (more than one SP between elements)"));
    }
    Optional<Malformed> versionError = checkVersion(version);
    if (versionError.isPresent()) {
      return new LineError(versionError.get());
    }
    if (!SipGrammar.isToken(method)) {
      return new LineError(bad("method '" + SipGrammar.clip(method) + "' is not a token"));
    }
    Optional<String> uriError = SipGrammar.checkUri(uri);
    if (uriError.isPresent()) {
      return new LineError(bad("Request-URI: " + uriError.get()));
    }
    String scheme = SipGrammar.scheme(uri).orElse("");
    if ((scheme.equals("sip") || scheme.equals("sips")) && SipGrammar.sipUriHasHeaders(uri)) {
      return new LineError(bad("Request-URI carries a headers component (RFC 3261 §19.1.1)"));
    }
    return new StartLine(false, method, uri, VERSION, 0, "");
  }

  /** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF; Status-Code is 3DIGIT (§25.1). */
  private static Line statusLine(String line) {
    int sp1 = line.indexOf(' ');
    if (sp1 < 0) {
      return new LineError(bad("Status-Line needs SIP-Version SP Status-Code SP Reason-Phrase"));
    }
    Optional<Malformed> versionError = checkVersion(line.substring(0, sp1));
    if (versionError.isPresent()) {
      return new LineError(versionError.get());
    }
    int sp2 = line.indexOf(' ', sp1 + 1);
    if (sp2 < 0) {
      return new LineError(bad("Status-Line has no SP before the Reason-Phrase"));
    }
    String code = line.substring(sp1 + 1, sp2);
    Optional<Long> status = code.length() == 3 ? SipGrammar.boundedNumber(code, 699) : Optional.empty();
    if (status.isEmpty() || status.get() < 100) {
      // RFC 4475 §3.1.2.19: 4294967301 must not break the receiver; the response is dropped.
      return new LineError(bad("Status-Code '" + SipGrammar.clip(code) + "' is not three digits 100..699"));
    }
    String reason = line.substring(sp2 + 1);
    for (int i = 0; i < reason.length(); i++) {
      char c = reason.charAt(i);
      if (c < 0x20 && c != '\t') {
        return new LineError(bad("Reason-Phrase contains a control octet"));
      }
    }
    return new StartLine(true, "", "", VERSION, status.get().intValue(), reason);
  }

  private static Optional<Malformed> checkVersion(String version) {
    if (version.equalsIgnoreCase(VERSION)) {
      return Optional.empty();
    }
    if (version.regionMatches(true, 0, "SIP/", 0, 4)) {
      // RFC 3261 §8.2.2 / RFC 4475 §3.1.2.16: another version is answered 505.
      return Optional.of(new Malformed(505, "SIP-Version " + SipGrammar.clip(version) + " is not supported"));
    }
    return Optional.of(bad("'" + SipGrammar.clip(version) + "' is not a SIP-Version"));
  }

  /** Syntax of the headers the edge relies on; any error is a 400 naming the header. */
  private static Optional<Malformed> checkHeaders(SipHeaders headers, StartLine start) {
    for (SipHeader h : headers.fields()) {
      String name = h.canonicalName();
      Optional<Malformed> error = switch (name) {
        case SipHeaderNames.CONTENT_LENGTH -> contentLength(h.value());
        case SipHeaderNames.CSEQ -> cseq(h.value(), start);
        case SipHeaderNames.MAX_FORWARDS ->
            SipGrammar.boundedNumber(h.value(), SipLimits.MAX_MAX_FORWARDS).isPresent()
                ? Optional.empty()
                : Optional.of(bad("Max-Forwards '" + SipGrammar.clip(h.value()) + "' is not a number 0..255"));
        case SipHeaderNames.CALL_ID -> callId(h.value());
        case SipHeaderNames.TO, SipHeaderNames.FROM -> named(name, SipGrammar.checkNameAddr(h.value()));
        case SipHeaderNames.CONTACT -> h.value().equals("*")
            ? Optional.empty()
            : list(name, h.value(), SipGrammar::checkNameAddr);
        case SipHeaderNames.ROUTE, SipHeaderNames.RECORD_ROUTE -> list(name, h.value(), SipGrammar::checkNameAddr);
        case SipHeaderNames.VIA -> list(name, h.value(), SipGrammar::checkVia);
        case SipHeaderNames.DATE -> date(h.value());
        default -> Optional.empty(); // unknown and unchecked headers stay opaque
      };
      if (error.isPresent()) {
        return error;
      }
    }
    return Optional.empty();
  }

  private static Optional<Malformed> named(String header, Optional<String> error) {
    return error.map(e -> bad(header + ": " + e));
  }

  /** A comma list where an empty element is an error (RFC 4475 §3.1.2.1: stray commas). */
  private static Optional<Malformed> list(
      String header, String value, Function<String, Optional<String>> element) {
    Optional<List<String>> parts = SipGrammar.splitTopLevel(value, ',');
    if (parts.isEmpty()) {
      return Optional.of(bad(header + ": unterminated quoted string or '<'"));
    }
    for (String part : parts.get()) {
      if (SipGrammar.trimLws(part).isEmpty()) {
        return Optional.of(bad(header + ": empty element (stray ',')"));
      }
      Optional<Malformed> error = named(header, element.apply(part));
      if (error.isPresent()) {
        return error;
      }
    }
    return Optional.empty();
  }

  private static Optional<Malformed> contentLength(String value) {
    if (value.startsWith("-")) {
      // RFC 4475 §3.1.2.3: never use a negative length as a counter or index.
      return Optional.of(bad("Content-Length is negative"));
    }
    if (!SipGrammar.isDigits(value)) {
      return Optional.of(bad("Content-Length '" + SipGrammar.clip(value) + "' is not a number"));
    }
    if (SipGrammar.boundedNumber(value, SipLimits.MAX_CONTENT_LENGTH).isEmpty()) {
      return Optional.of(new Malformed(413, "Content-Length exceeds " + SipLimits.MAX_CONTENT_LENGTH));
    }
    return Optional.empty();
  }

  /**
   * CSeq = 1*DIGIT LWS Method (§20.16). The number fits 32 bits (RFC 4475 §3.1.2.4) and the
   * method matches the Request-Line (§8.2.2 ; RFC 4475 §3.1.2.17 answers 400, §3.1.2.18 501 when
   * the request method is one we do not implement).
   */
  private static Optional<Malformed> cseq(String value, StartLine start) {
    int i = 0;
    while (i < value.length() && !SipGrammar.isLws(value.charAt(i))) {
      i++;
    }
    String number = value.substring(0, i);
    String method = SipGrammar.trimLws(value.substring(i));
    if (!SipGrammar.isDigits(number) || !SipGrammar.isToken(method)) {
      return Optional.of(bad("CSeq '" + SipGrammar.clip(value) + "' is not 'number method'"));
    }
    if (SipGrammar.boundedNumber(number, SipLimits.MAX_CSEQ).isEmpty()) {
      return Optional.of(bad("CSeq number exceeds 2^32-1"));
    }
    if (!start.response && !method.equals(start.method)) {
      int status = KNOWN_METHODS.contains(start.method) ? 400 : 501;
      return Optional.of(new Malformed(status, "CSeq method " + SipGrammar.clip(method)
          + " differs from the Request-Line method " + SipGrammar.clip(start.method)));
    }
    return Optional.empty();
  }

  /** callid = word [ "@" word ] (§25.1): no LWS inside, not empty. */
  private static Optional<Malformed> callId(String value) {
    if (value.isEmpty()) {
      return Optional.of(bad("Call-ID is empty"));
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return Optional.of(bad("Call-ID contains whitespace, a control or a non-ASCII octet"));
      }
    }
    return Optional.empty();
  }

  /** SIP-date = rfc1123-date, always in GMT (§20.17; RFC 4475 §3.1.2.12 rejects "EST"). */
  private static Optional<Malformed> date(String value) {
    return RFC1123_GMT.matcher(value).matches()
        ? Optional.empty()
        : Optional.of(bad("Date '" + SipGrammar.clip(value) + "' is not an RFC 1123 date in GMT"));
  }

  private static List<String> splitCrlf(String head) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    int crlf;
    while ((crlf = head.indexOf("\r\n", from)) >= 0) {
      lines.add(head.substring(from, crlf));
      from = crlf + 2;
    }
    if (from < head.length()) {
      lines.add(head.substring(from));
    }
    return lines;
  }

  private static String stripZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  private static Malformed bad(String reason) {
    return new Malformed(400, reason);
  }

  /** RFC 3261 §21.5.14: 513 Message Too Large. */
  private static Malformed tooLarge(String reason) {
    return new Malformed(513, reason);
  }
}
