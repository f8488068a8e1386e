package io.switchboard.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.switchboard.sip.message.SipParseResult.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SipValidationTest {

  private static SipMessage parse(String text) {
    SipParseResult r = SipParser.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    return assertInstanceOf(Parsed.class, r, r::toString).message();
  }

  private static String request(String method, String extra) {
    return method + " sip:bob@example.com SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"
        + "To: <sip:bob@example.com>\r\nFrom: <sip:alice@example.com>;tag=1\r\n"
        + "Call-ID: abc@pc33\r\nCSeq: 1 " + method + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
  }

  @Test
  void requireIsAcceptedForSupportedTagsAndIgnoredOnAckAndCancel() {
    SipMessage options = parse(request("OPTIONS", "Require: Timer, 100rel\r\n"));
    assertEquals(420, ((SipVerdict.Reject) SipValidation.check(options)).status());
    assertEquals(new SipVerdict.Acceptable(), SipValidation.check(options, Set.of("timer", "100rel")));
    // RFC 3261 §8.2.2.3: ACK and CANCEL are never refused for Require.
    assertEquals(new SipVerdict.Acceptable(), SipValidation.check(parse(request("ACK", "Require: foo\r\n"))));
    assertEquals(new SipVerdict.Acceptable(), SipValidation.check(parse(request("CANCEL", "Require: foo\r\n"))));
  }

  @Test
  void responsesAreDiscardedNeverAnswered() {
    SipMessage noCallId = parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"
        + "To: <sip:a@example.com>;tag=2\r\nFrom: <sip:b@example.com>;tag=1\r\nCSeq: 1 INVITE\r\n"
        + "Content-Length: 0\r\n\r\n");
    assertEquals(new SipVerdict.Discard("missing Call-ID header"), SipValidation.check(noCallId));
  }

  @Test
  void telRequestUriAndMissingMaxForwardsAreAccepted() {
    // RFC 4475 §3.4.1: RFC 2543 requests without Max-Forwards are accepted for compatibility.
    SipMessage tel = parse(request("OPTIONS", "").replace("OPTIONS sip:bob@example.com", "OPTIONS tel:+15551234567"));
    assertEquals(new SipVerdict.Acceptable(), SipValidation.check(tel));
  }

  @Test
  void inviteAcceptMustAllowSdpWhenPresent() {
    assertEquals(new SipVerdict.Acceptable(), SipValidation.check(parse(request("INVITE", "Accept: application/*\r\n"))));
    assertEquals(406, ((SipVerdict.Reject) SipValidation.check(parse(request("INVITE", "Accept: text/plain\r\n")))).status());
  }
}
