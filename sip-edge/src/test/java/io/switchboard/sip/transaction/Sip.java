package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipParseResult;
import io.switchboard.sip.message.SipParser;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Test messages, parsed from text by the real parser so that they are what a transport would hand over. */
final class Sip {
  private Sip() {}

  static final Flow UDP = flow(Transport.UDP);
  static final Flow TCP = flow(Transport.TCP);

  static final String CALL_ID = "3848276298220188511@atlanta.example.com";
  static final String FROM = "Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl";
  static final String TO = "Bob <sip:bob@biloxi.example.com>";
  static final String TO_TAGGED = TO + ";tag=8321234356";

  static Flow flow(Transport transport) {
    return new Flow(transport, new InetSocketAddress("10.0.0.1", 5060), new InetSocketAddress("192.0.2.10", 5060));
  }

  static SipMessage parse(String... lines) {
    String text = String.join("\r\n", lines) + "\r\n\r\n";
    SipParseResult r = SipParser.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    if (!(r instanceof SipParseResult.Parsed p)) {
      throw new AssertionError("test message does not parse: " + r + "\n" + text);
    }
    return p.message();
  }

  /** The top Via for a branch (";branch=..." omitted when {@code branch} is empty: an RFC 2543 client). */
  static String via(String transport, String sentBy, String branch) {
    return "Via: SIP/2.0/" + transport + " " + sentBy + (branch.isEmpty() ? "" : ";branch=" + branch);
  }

  static String via(String branch) {
    return via("UDP", "pc33.atlanta.example.com", branch);
  }

  /** A request with the usual headers; {@code viaLine} and {@code toValue} vary per test. */
  static SipRequest request(String method, String viaLine, String toValue, long cseq) {
    return (SipRequest) parse(
        method + " sip:bob@biloxi.example.com SIP/2.0",
        viaLine,
        "Max-Forwards: 70",
        "From: " + FROM,
        "To: " + toValue,
        "Call-ID: " + CALL_ID,
        "CSeq: " + cseq + " " + method,
        "Contact: <sip:alice@pc33.atlanta.example.com>",
        "Content-Length: 0");
  }

  static SipRequest request(String method, String branch) {
    return request(method, via(branch), TO, 1);
  }

  /** An INVITE through two proxies (Route), as a UAC would send it. */
  static SipRequest invite(String branch, String transport) {
    return (SipRequest) parse(
        "INVITE sip:bob@biloxi.example.com SIP/2.0",
        via(transport, "pc33.atlanta.example.com", branch),
        "Max-Forwards: 70",
        "Route: <sip:p1.example.com;lr>",
        "Route: <sip:p2.example.com;lr>",
        "From: " + FROM,
        "To: " + TO,
        "Call-ID: " + CALL_ID,
        "CSeq: 314159 INVITE",
        "Contact: <sip:alice@pc33.atlanta.example.com>",
        "Content-Length: 0");
  }

  /** A response to a request with this top Via and CSeq ("314159 INVITE"), To tagged. */
  static SipResponse response(int status, String reason, String viaLine, String cseq) {
    return (SipResponse) parse(
        "SIP/2.0 " + status + " " + reason,
        viaLine,
        "From: " + FROM,
        "To: " + (status == 100 ? TO : TO_TAGGED),
        "Call-ID: " + CALL_ID,
        "CSeq: " + cseq,
        "Content-Length: 0");
  }

  static SipResponse response(int status, String reason, String branch, long cseq, String method) {
    return response(status, reason, via(branch), cseq + " " + method);
  }
}
