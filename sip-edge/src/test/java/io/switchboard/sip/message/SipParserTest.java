package io.switchboard.sip.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipParseResult.Malformed;
import io.switchboard.sip.message.SipParseResult.NeedMoreBytes;
import io.switchboard.sip.message.SipParseResult.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SipParserTest {

  private static final String[] BASE = {
      "OPTIONS sip:bob@example.com SIP/2.0",
      "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds",
      "Max-Forwards: 70",
      "To: Bob <sip:bob@example.com>",
      "From: Alice <sip:alice@example.com>;tag=1928301774",
      "Call-ID: a84b4c76e66710@pc33.example.com",
      "CSeq: 63104 OPTIONS",
  };

  /** The base request plus extra header lines, with Content-Length 0 and the empty line. */
  private static byte[] request(String... extra) {
    StringBuilder b = new StringBuilder();
    for (String line : BASE) {
      b.append(line).append("\r\n");
    }
    for (String line : extra) {
      b.append(line).append("\r\n");
    }
    b.append("Content-Length: 0\r\n\r\n");
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] raw(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static SipMessage parsed(byte[] octets) {
    SipParseResult r = SipParser.parse(octets);
    return assertInstanceOf(Parsed.class, r, r::toString).message();
  }

  private static Malformed malformed(byte[] octets) {
    SipParseResult r = SipParser.parse(octets);
    return assertInstanceOf(Malformed.class, r, r::toString);
  }

  private static void assertMalformed(int status, String reasonPart, SipParseResult r) {
    Malformed m = assertInstanceOf(Malformed.class, r, r::toString);
    assertEquals(status, m.statusToSend(), m.reason());
    assertTrue(m.reason().contains(reasonPart), () -> "reason '" + m.reason() + "' lacks '" + reasonPart + "'");
  }

  @Test
  void foldedLinesBecomeOneSpaceAndStartLineCannotBeFolded() {
    SipMessage m = parsed(request("Subject: first\r\n second\r\n\t  third"));
    assertEquals(Optional.of("first second third"), m.headers().first("Subject"));

    byte[] foldedStart = raw("OPTIONS sip:bob@example.com SIP/2.0\r\n continued\r\n" + new String(request(), StandardCharsets.ISO_8859_1).substring(BASE[0].length() + 2));
    assertMalformed(400, "continuation line before the first header", SipParser.parse(foldedStart));
  }

  @Test
  void compactFormsAndNameCaseAreNormalisedButKeptForEncoding() {
    byte[] octets = raw("INVITE sip:bob@example.com SIP/2.0\r\n"
        + "v: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1\r\n"
        + "MAX-FORWARDS: 70\r\n"
        + "t: <sip:bob@example.com>\r\n"
        + "f: <sip:alice@example.com>;tag=1\r\n"
        + "i: abc@pc33\r\n"
        + "cseq: 1 INVITE\r\n"
        + "m: <sip:alice@pc33.example.com>\r\n"
        + "k: timer\r\n"
        + "c: application/sdp\r\n"
        + "l: 3\r\n"
        + "\r\nv=0");
    SipMessage m = parsed(octets);
    SipHeaders h = m.headers();
    assertEquals(Optional.of("abc@pc33"), h.first("Call-ID"));
    assertEquals(Optional.of("abc@pc33"), h.first("call-id"));
    assertEquals(List.of("<sip:alice@pc33.example.com>"), h.values("Contact"));
    assertEquals(Optional.of("timer"), h.first("Supported"));
    assertEquals(Optional.of("70"), h.first("Max-Forwards"));
    assertEquals("Via", h.fields().get(0).canonicalName());
    assertEquals("v", h.fields().get(0).name());
    assertArrayEquals(octets, SipEncoder.encode(m), "compact names and order survive re-encoding");
    assertEquals(new SipVerdict.Acceptable(), SipValidation.check(m));
  }

  @Test
  void commasInsideQuotesAndAnglesDoNotSplitValues() {
    SipMessage m = parsed(request(
        "Contact: \"Doe, John\" <sip:john,doe@example.com>;x=\"a,b\";q=0.5, <sip:j2@example.com?h=1,2>",
        "Contact: sip:j3@example.com",
        "Via: SIP/2.0/TCP a.example.com;branch=z9hG4bKa, SIP/2.0/UDP b.example.com;branch=z9hG4bKb",
        "Accept: application/sdp, text/plain",
        "X-Opaque: one, two",
        "Date: Sat, 13 Nov 2010 23:29:00 GMT",
        "Subject: \"escaped \\\" quote, and \\\\ backslash\""));
    SipHeaders h = m.headers();
    assertEquals(List.of(
        "\"Doe, John\" <sip:john,doe@example.com>;x=\"a,b\";q=0.5",
        "<sip:j2@example.com?h=1,2>",
        "sip:j3@example.com"), h.values("Contact"));
    assertEquals(3, h.values("Via").size());
    assertEquals(List.of("application/sdp", "text/plain"), h.values("Accept"));
    assertEquals(List.of("one, two"), h.values("X-Opaque"), "unknown headers are opaque");
    assertEquals(List.of("Sat, 13 Nov 2010 23:29:00 GMT"), h.values("Date"), "Date commas do not separate values");
  }

  @Test
  void ipv6ReferencesInRequestUriViaAndContact() {
    byte[] octets = raw("OPTIONS sip:[2001:db8::9]:5060;transport=udp SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;received=[2001:db8::2]\r\n"
        + "Max-Forwards: 70\r\nTo: <sip:[2001:db8::9]>\r\nFrom: <sip:a@[2001:db8::1]>;tag=1\r\n"
        + "Call-ID: v6@[2001:db8::1]\r\nCSeq: 1 OPTIONS\r\nContact: <sip:a@[2001:db8::1]:5060>\r\n"
        + "Content-Length: 0\r\n\r\n");
    SipMessage m = parsed(octets);
    assertEquals("sip:[2001:db8::9]:5060;transport=udp", ((SipRequest) m).requestUri());
    assertEquals("2001:db8::1", SipGrammar.viaHost(m.headers().values("Via").get(0)));

    assertMalformed(400, "IPv6 reference without ']'", SipParser.parse(request("Via: SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK2")));
    assertMalformed(400, "IPv6 reference contains", SipParser.parse(request("Via: SIP/2.0/UDP [2001:zz8::1];branch=z9hG4bK2")));
  }

  @Test
  void nulAndUtf8InValuesSurviveByteForByte() {
    byte[] utf8 = "Здравствуйте".getBytes(StandardCharsets.UTF_8);
    String latin = new String(utf8, StandardCharsets.ISO_8859_1);
    byte[] octets = request("To: \"nul \\\u0000 bel \\\u0007\" <sip:x@example.com>".replace("To:", "X-Quoted:"),
        "Subject: " + latin);
    SipMessage m = parsed(octets);
    assertArrayEquals(utf8, m.headers().first("Subject").orElseThrow().getBytes(StandardCharsets.ISO_8859_1));
    assertArrayEquals(octets, SipEncoder.encode(m));
  }

  @Test
  void quotedStringsWithEscapesAndUnterminatedOnes() {
    parsed(request("Contact: \"a \\\"quoted\\\" \\\\ name\" <sip:x@example.com>"));
    assertMalformed(400, "Contact: unterminated quoted string",
        SipParser.parse(request("Contact: \"never closed <sip:x@example.com>")));
  }

  @Test
  void strayCommasAndSemicolonsInViaAndContact() {
    assertMalformed(400, "Via: empty element", SipParser.parse(request("Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,,")));
    assertMalformed(400, "Contact: empty parameter", SipParser.parse(request("Contact: <sip:a@example.com>;;q=1")));
    assertMalformed(400, "Contact: empty element", SipParser.parse(request("Contact: <sip:a@example.com>, ,<sip:b@example.com>")));
    parsed(request("X-Whatever: ;;,,;;,;"));
  }

  @Test
  void unquotedDisplayNameWithCommaIsRejected() {
    // RFC 4475 §3.1.2.15 with the empty line the archived baddn.dat lacks (corpus README).
    byte[] baddn = SipTorture.bytes("baddn.dat");
    byte[] fixed = Arrays.copyOf(baddn, baddn.length + 2);
    fixed[baddn.length] = '\r';
    fixed[baddn.length + 1] = '\n';
    assertMalformed(400, "From: display name has ','", SipParser.parse(fixed));
    parsed(request("Contact: caller<sip:caller@example.com>")); // RFC 4475 §3.1.1.6
  }

  @Test
  void requestUriSanity() {
    assertMalformed(400, "URI has no scheme", SipParser.parse(raw("OPTIONS bob@example.com SIP/2.0\r\n\r\n")));
    assertMalformed(400, "URI contains an unescaped control", SipParser.parse(raw("OPTIONS sip:b\u0001b@example.com SIP/2.0\r\n\r\n")));
    assertMalformed(505, "SIP-Version SIP/3.0", SipParser.parse(raw("OPTIONS sip:bob@example.com SIP/3.0\r\n\r\n")));
    assertMalformed(400, "not a SIP-Version", SipParser.parse(raw("OPTIONS sip:bob@example.com HTTP/1.1\r\n\r\n")));
    assertMalformed(400, "method", SipParser.parse(raw("OPT<IONS sip:bob@example.com SIP/2.0\r\n\r\n")));
  }

  @Test
  void scalarBounds() {
    parsed(replace(request(), "CSeq: 63104 OPTIONS", "CSeq: 4294967295 OPTIONS"));
    assertMalformed(400, "CSeq number", SipParser.parse(replace(request(), "CSeq: 63104 OPTIONS", "CSeq: 4294967296 OPTIONS")));
    assertMalformed(400, "CSeq", SipParser.parse(replace(request(), "CSeq: 63104 OPTIONS", "CSeq: OPTIONS")));
    parsed(replace(request(), "Max-Forwards: 70", "Max-Forwards: 0255"));
    assertMalformed(400, "Max-Forwards", SipParser.parse(replace(request(), "Max-Forwards: 70", "Max-Forwards: 256")));
    assertMalformed(400, "Status-Code", SipParser.parse(raw("SIP/2.0 099 Low\r\n\r\n")));
    SipResponse r = (SipResponse) parsed(raw("SIP/2.0 100 \r\nContent-Length: 0\r\n\r\n"));
    assertEquals("", r.reason());
  }

  private static byte[] replace(byte[] octets, String from, String to) {
    return raw(new String(octets, StandardCharsets.ISO_8859_1).replace(from, to));
  }

  @Test
  void everyLimitHasItsOwnMalformed() {
    byte[] huge = new byte[SipLimits.MAX_MESSAGE_SIZE + 1];
    Arrays.fill(huge, (byte) 'a');
    assertMalformed(513, "datagram of", SipParser.parse(huge));

    String[] many = new String[SipLimits.MAX_HEADER_COUNT];
    Arrays.fill(many, "X-A: b");
    assertMalformed(513, "more than " + SipLimits.MAX_HEADER_COUNT + " header fields", SipParser.parse(request(many)));

    String longValue = "X-Long: " + "a".repeat(SipLimits.MAX_LINE_LENGTH);
    assertMalformed(513, "line longer than", SipParser.parse(request(longValue)));

    byte[] big = replace(request(), "Content-Length: 0", "Content-Length: " + (SipLimits.MAX_CONTENT_LENGTH + 1));
    assertMalformed(413, "Content-Length exceeds", SipParser.parse(big));

    byte[] body = new byte[SipLimits.MAX_MESSAGE_SIZE - 100];
    byte[] head = replace(request(), "Content-Length: 0", "Content-Length: " + body.length);
    byte[] whole = Arrays.copyOf(head, head.length + body.length);
    assertMalformed(513, "message with its body exceeds", SipParser.parseStream(whole));
  }

  @Test
  void datagramFraming() {
    byte[] leading = raw("\r\n\r\n" + new String(request(), StandardCharsets.ISO_8859_1));
    assertEquals(parsed(request()), parsed(leading), "keep-alive CRLFs before the start line are skipped");
    assertMalformed(400, "no start line", SipParser.parse(raw("\r\n\r\n")));
    assertMalformed(400, "no start line", SipParser.parse(new byte[0]));
    assertMalformed(400, "not ended by an empty line", SipParser.parse(raw("OPTIONS sip:a@b SIP/2.0\r\nTo: x\r\n")));
    assertMalformed(400, "bare LF", SipParser.parse(raw("OPTIONS sip:a@b SIP/2.0\nTo: x\r\n\r\n")));
    assertMalformed(400, "Content-Length 5 exceeds", SipParser.parse(replace(request(), "Content-Length: 0", "Content-Length: 5")));

    byte[] noLength = raw("MESSAGE sip:a@example.com SIP/2.0\r\nX: y\r\n\r\nrest of datagram");
    assertArrayEquals(raw("rest of datagram"), parsed(noLength).body().bytes(), "RFC 3261 §18.3: UDP body runs to the end");
  }

  @Test
  void streamFramingNeedsMoreBytesUntilTheBodyIsComplete() {
    byte[] one = replace(request(), "Content-Length: 0", "Content-Length: 4");
    byte[] message = Arrays.copyOf(one, one.length + 4);
    System.arraycopy(raw("body"), 0, message, one.length, 4);
    for (int cut = 0; cut < message.length; cut++) {
      SipParseResult r = SipParser.parseStream(Arrays.copyOf(message, cut));
      assertInstanceOf(NeedMoreBytes.class, r, () -> "a prefix of the message: " + r);
    }
    byte[] two = Arrays.copyOf(message, message.length * 2);
    System.arraycopy(message, 0, two, message.length, message.length);
    Parsed first = assertInstanceOf(Parsed.class, SipParser.parseStream(two));
    assertArrayEquals(raw("body"), first.message().body().bytes());
    assertArrayEquals(message, first.trailingBytes(), "the next message is left for the next call");
    Parsed second = assertInstanceOf(Parsed.class, SipParser.parseStream(first.trailingBytes()));
    assertEquals(first.message(), second.message());

    assertInstanceOf(NeedMoreBytes.class, SipParser.parseStream(raw("\r\n\r\n")), "keep-alive");
    assertInstanceOf(NeedMoreBytes.class, SipParser.parseStream(SipTorture.bytes("clerr.dat")),
        "RFC 4475 §3.1.2.2: on a stream, wait for the rest");
    assertMalformed(400, "Content-Length is required on stream",
        SipParser.parseStream(raw("OPTIONS sip:a@example.com SIP/2.0\r\nX: y\r\n\r\n")));
    assertMalformed(400, "conflicting Content-Length", SipParser.parseStream(SipTorture.bytes("mcl01.dat")));

    byte[] endless = new byte[SipLimits.MAX_MESSAGE_SIZE + 10];
    byte[] prefix = raw("OPTIONS sip:a@example.com SIP/2.0\r\n");
    System.arraycopy(prefix, 0, endless, 0, prefix.length);
    for (int i = prefix.length; i + 10 <= endless.length; i += 10) {
      System.arraycopy(raw("X-A: 123\r\n"), 0, endless, i, 10);
    }
    assertEquals(513, assertInstanceOf(Malformed.class, SipParser.parseStream(endless)).statusToSend(),
        "a header section that never ends is cut off at the limit");
  }

  @Test
  void headersBuiltInCodeCannotInjectLines() {
    assertThrows(IllegalArgumentException.class, () -> new SipHeader("Subject", "a\r\nVia: evil"));
    assertThrows(IllegalArgumentException.class, () -> new SipHeader("Bad Name", "x"));
  }

  @Test
  void encoderWritesTheBodyLength() {
    SipRequest r = new SipRequest("MESSAGE", "sip:a@example.com", "SIP/2.0",
        SipHeaders.of(new SipHeader("l", "99"), new SipHeader("Content-Length", "1")), SipBody.of(raw("hello")));
    byte[] octets = SipEncoder.encode(r);
    assertEquals("MESSAGE sip:a@example.com SIP/2.0\r\nl: 5\r\n\r\nhello", new String(octets, StandardCharsets.ISO_8859_1));
    SipResponse ok = new SipResponse("SIP/2.0", 200, "OK", SipHeaders.of(), SipBody.EMPTY);
    assertEquals("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", new String(SipEncoder.encode(ok), StandardCharsets.ISO_8859_1));
    assertEquals(SipEncoder.withCorrectContentLength(ok), parsed(SipEncoder.encode(ok)));
  }
}
