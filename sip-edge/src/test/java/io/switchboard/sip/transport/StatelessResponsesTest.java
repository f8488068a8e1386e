package io.switchboard.sip.transport;

import static io.switchboard.sip.transport.SipTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipParseResult;
import io.switchboard.sip.message.SipParser;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.message.SipValidation;
import io.switchboard.sip.message.SipVerdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatelessResponsesTest {

  @Test
  void a420ListsTheUnsupportedOptionTags() {
    SipRequest bext01 = (SipRequest) ((SipParseResult.Parsed) SipParser.parse(SipTestSupport.conformance("bext01.dat"))).message();
    SipVerdict.Reject reject = (SipVerdict.Reject) SipValidation.check(bext01);
    SipResponse response = StatelessResponses.forReject(bext01, reject).orElseThrow();
    assertEquals(420, response.status());
    assertEquals("Require option tag 'nothingSupportsThis' is not supported", response.reason());
    assertEquals(Optional.of("nothingSupportsThis, nothingSupportsThisEither, noProxiesSupportThis, norDoAnyProxiesSupportThis"),
        response.headers().first("Unsupported"));
    assertEquals(bext01.headers().first(SipHeaderNames.VIA), response.headers().first(SipHeaderNames.VIA));
  }

  @Test
  void anAckIsNeverAnswered() {
    SipRequest ack = (SipRequest) ((SipParseResult.Parsed) SipParser.parse(bytes(
        SipTestSupport.request("ACK", "ack-1", "SIP/2.0/UDP h.example;branch=z9hG4bK1", "")))).message();
    assertEquals(Optional.empty(), StatelessResponses.forReject(ack, new SipVerdict.Reject(400, "x")));
    assertEquals(Optional.empty(), StatelessResponses.forMalformed(bytes(
        SipTestSupport.request("ACK", "ack-2", "SIP/2.0/UDP h.example;;", "")), new SipParseResult.Malformed(400, "x")));
  }

  @Test
  void theHeadersOfAMalformedRequestAreSalvagedVerbatim() {
    byte[] badinv01 = SipTestSupport.conformance("badinv01.dat");
    SipParseResult.Malformed malformed = (SipParseResult.Malformed) SipParser.parse(badinv01);
    SipResponse response = StatelessResponses.forMalformed(badinv01, malformed).orElseThrow();
    assertEquals(400, response.status());
    assertEquals(List.of("SIP/2.0/UDP 192.0.2.15;;,;,,"),
        response.headers().all(SipHeaderNames.VIA).stream().map(h -> h.value()).toList());
    assertEquals(Optional.of("8 INVITE"), response.headers().first(SipHeaderNames.CSEQ));
    assertEquals(Optional.of("badinv01.0ha0isndaksdjasdf3234nas"), response.headers().first(SipHeaderNames.CALL_ID));
    assertEquals(Optional.of("sip:j.user@example.com"), response.headers().first(SipHeaderNames.TO));
    assertEquals(0, response.body().length());
    assertTrue(response.headers().first("Contact").isEmpty(), "only Via, From, To, Call-ID, CSeq are copied");
  }

  @Test
  void foldedAndCompactHeadersAreSalvaged() {
    String text = "\r\nINVITE sip:x@example.com SIP/2.0\r\nv: SIP/2.0/UDP h.example\r\n ;branch=z9hG4bK9\r\n"
        + "f: <sip:a@example.com>;tag=1\r\nt: <sip:x@example.com>\r\ni: fold-1\r\nCSeq: 1 INVITE\r\nBad Header\r\n\r\n";
    SipResponse response = StatelessResponses.forMalformed(bytes(text), new SipParseResult.Malformed(400, "bad")).orElseThrow();
    assertEquals(Optional.of("SIP/2.0/UDP h.example ;branch=z9hG4bK9"), response.headers().first(SipHeaderNames.VIA));
    assertEquals("fold-1", io.switchboard.sip.message.SipMessages.callId(response));
  }

  @Test
  void withoutViaOrCallIdOrForAResponseThereIsNoAnswer() {
    String noCallId = SipTestSupport.request("OPTIONS", "x", "SIP/2.0/UDP h.example;branch=z9hG4bK1", "")
        .replace("Call-ID: x\r\n", "");
    assertEquals(Optional.empty(), StatelessResponses.forMalformed(bytes(noCallId), new SipParseResult.Malformed(400, "x")));
    assertEquals(Optional.empty(), StatelessResponses.forMalformed(SipTestSupport.conformance("bigcode.dat"),
        new SipParseResult.Malformed(400, "x")));
    assertEquals(Optional.empty(), StatelessResponses.forMalformed(bytes("garbage"), new SipParseResult.Malformed(400, "x")));
    assertEquals(Optional.empty(), StatelessResponses.forMalformed(new byte[0], new SipParseResult.Malformed(400, "x")));
  }

  @Test
  void reasonPhrasesAreMadeLegal() {
    assertEquals("bare LF in the header section (RFC 3261 section 7: lines end with CRLF)",
        StatelessResponses.reasonPhrase("bare LF in the header section (RFC 3261 \u00a77: lines end with CRLF)", 400));
    assertEquals("quote ? and ?angle?", StatelessResponses.reasonPhrase("quote \" and <angle>", 400));
    assertEquals("Bad Request", StatelessResponses.reasonPhrase("  ", 400));
    assertEquals(StatelessResponses.MAX_REASON_LENGTH, StatelessResponses.reasonPhrase("y".repeat(500), 400).length());
    // The phrase survives the parser, so the client can read the response.
    SipRequest options = (SipRequest) ((SipParseResult.Parsed) SipParser.parse(bytes(
        SipTestSupport.request("OPTIONS", "r", "SIP/2.0/UDP h.example;branch=z9hG4bK1", "")))).message();
    SipResponse r = StatelessResponses.forReject(options, new SipVerdict.Reject(400, "odd \u00a7 \u0001 \"x\" <y> reason")).orElseThrow();
    assertTrue(SipParser.parse(io.switchboard.sip.message.SipEncoder.encode(r)) instanceof SipParseResult.Parsed);
  }
}
