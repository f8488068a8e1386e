package io.switchboard.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.switchboard.sip.message.SipBody;
import io.switchboard.sip.message.SipHeader;
import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipHeaders;
import io.switchboard.sip.message.SipRequest;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3261 §18.2.1 / §18.2.2 and RFC 3581 §4, on the Via text itself. */
class ViaRoutingTest {
  private static final InetSocketAddress SOURCE = new InetSocketAddress("192.0.2.7", 40123);
  private static final Flow UDP_FLOW = new Flow(Transport.UDP, new InetSocketAddress("127.0.0.1", 5060), SOURCE);

  private static SipRequest withVia(String name, String value) {
    return new SipRequest("OPTIONS", "sip:bob@example.com", "SIP/2.0", SipHeaders.of(
        new SipHeader(name, value), new SipHeader("Call-ID", "via-test"), new SipHeader("CSeq", "1 OPTIONS")), SipBody.EMPTY);
  }

  private static String stampedVia(String via) {
    return ViaRouting.stamp(withVia("Via", via), SOURCE).headers().fields().get(0).value();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // sent-by is a name: received (§18.2.1)
      "SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1 | SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1;received=192.0.2.7",
      // sent-by is another address: received
      "SIP/2.0/UDP 192.0.2.99:5070;branch=z9hG4bK1 | SIP/2.0/UDP 192.0.2.99:5070;branch=z9hG4bK1;received=192.0.2.7",
      // empty rport: filled in, received added even though the host matches (RFC 3581 §4)
      "SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1 | SIP/2.0/UDP 192.0.2.7:5060;rport=40123;branch=z9hG4bK1;received=192.0.2.7",
      // rport that already has a value is not ours to change
      "SIP/2.0/UDP h.example;rport=1234;branch=z9hG4bK1 | SIP/2.0/UDP h.example;rport=1234;branch=z9hG4bK1;received=192.0.2.7",
      // a received already there is replaced in place, not duplicated
      "SIP/2.0/UDP h.example;received=10.0.0.1;branch=z9hG4bK1 | SIP/2.0/UDP h.example;received=192.0.2.7;branch=z9hG4bK1",
      // parameter names are case-insensitive (RFC 3261 §7.3.1)
      "SIP/2.0/UDP h.example;RPORT;branch=z9hG4bK1 | SIP/2.0/UDP h.example;rport=40123;branch=z9hG4bK1;received=192.0.2.7",
      // only the top Via of a comma list is touched
      "SIP/2.0/UDP a.example;branch=z9hG4bKa , SIP/2.0/UDP b.example;branch=z9hG4bKb | SIP/2.0/UDP a.example;branch=z9hG4bKa;received=192.0.2.7, SIP/2.0/UDP b.example;branch=z9hG4bKb",
  })
  void theTopViaIsStamped(String via, String expected) {
    assertEquals(expected, stampedVia(via));
  }

  @Test
  void aViaNamingTheSourceWithoutRportIsLeftAsItIs() {
    SipRequest request = withVia("Via", "SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1");
    assertSame(request, ViaRouting.stamp(request, SOURCE));
  }

  @Test
  void theCompactHeaderNameAndLaterViasAreKept() {
    SipRequest request = new SipRequest("OPTIONS", "sip:bob@example.com", "SIP/2.0", SipHeaders.of(
        new SipHeader("v", "SIP/2.0/TCP h.example;branch=z9hG4bK1"),
        new SipHeader("Via", "SIP/2.0/UDP second.example;branch=z9hG4bK2")), SipBody.EMPTY);
    SipHeaders stamped = ViaRouting.stamp(request, SOURCE).headers();
    assertEquals(new SipHeader("v", "SIP/2.0/TCP h.example;branch=z9hG4bK1;received=192.0.2.7"), stamped.fields().get(0));
    assertEquals(request.headers().fields().get(1), stamped.fields().get(1));
  }

  @Test
  void anIpv6SourceIsWrittenWithoutBrackets() {
    SipRequest request = withVia("Via", "SIP/2.0/UDP [2001:db8::1]:5060;rport;branch=z9hG4bK1");
    String via = ViaRouting.stamp(request, new InetSocketAddress("::1", 5062)).headers().first(SipHeaderNames.VIA).orElseThrow();
    assertEquals("SIP/2.0/UDP [2001:db8::1]:5060;rport=5062;branch=z9hG4bK1;received=::1", via);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "SIP/2.0/UDP h.example;branch=z9hG4bK1;rport=40123;received=192.0.2.7 | 192.0.2.7 | 40123",
      // received without rport: the sent-by port (§18.2.2)
      "SIP/2.0/UDP h.example:5070;branch=z9hG4bK1;received=192.0.2.7 | 192.0.2.7 | 5070",
      // neither: sent-by address, default port 5060
      "SIP/2.0/UDP 192.0.2.50;branch=z9hG4bK1 | 192.0.2.50 | 5060",
      // a name and no received (never after stamp): the packet's source address, sent-by port
      "SIP/2.0/UDP h.example:5080;branch=z9hG4bK1 | 192.0.2.7 | 5080",
      "SIP/2.0/UDP [2001:db8::9]:5066;branch=z9hG4bK1 | 2001:db8::9 | 5066",
  })
  void udpResponsesGoWhereTheViaSays(String via, String host, int port) {
    Flow back = ViaRouting.responseFlow(withVia("Via", via), UDP_FLOW);
    assertEquals(new InetSocketAddress(host, port), back.remote());
    assertEquals(Transport.UDP, back.transport());
    assertEquals(UDP_FLOW.local(), back.local());
  }

  @Test
  void reliableResponsesGoBackOnTheSameFlow() {
    Flow tcp = new Flow(Transport.TCP, new InetSocketAddress("127.0.0.1", 5060), SOURCE);
    assertEquals(tcp, ViaRouting.responseFlow(withVia("Via", "SIP/2.0/TCP h.example:5090;branch=z9hG4bK1"), tcp));
  }

  @Test
  void stampThenRouteSendsToTheSourceOfARportRequest() {
    SipRequest stamped = ViaRouting.stamp(withVia("Via", "SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK1"), SOURCE);
    assertEquals(SOURCE, ViaRouting.responseFlow(stamped, UDP_FLOW).remote());
  }
}
