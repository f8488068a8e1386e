package io.switchboard.sip.transport;

import static io.switchboard.sip.transport.SipTestSupport.LOOPBACK;
import static io.switchboard.sip.transport.SipTestSupport.asResponse;
import static io.switchboard.sip.transport.SipTestSupport.bytes;
import static io.switchboard.sip.transport.SipTestSupport.conformance;
import static io.switchboard.sip.transport.SipTestSupport.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipParseResult;
import io.switchboard.sip.message.SipParser;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.SipTestSupport.Received;
import io.switchboard.sip.transport.SipTestSupport.RecordingHandler;
import io.switchboard.sip.transport.SipTestSupport.UdpPeer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SIP over UDP on real loopback sockets: RFC 3261 §18.2.1/§18.2.2, RFC 3581, RFC 4475 answers. */
class SipUdpTransportTest {
  @TempDir
  Path dir;

  private final RecordingHandler handler = new RecordingHandler();
  private SipTransports transports;
  private UdpPeer peer;
  private InetSocketAddress edge;

  @BeforeEach
  void start() throws Exception {
    transports = SipTransports.start(SipTestSupport.settings(dir), handler);
    edge = transports.localAddress(Transport.UDP);
    peer = new UdpPeer();
  }

  @AfterEach
  void stop() {
    peer.close();
    transports.close();
  }

  @Test
  void udpAndTcpShareTheEphemeralPort() {
    assertTrue(edge.getPort() > 0);
    assertEquals(edge.getPort(), transports.localAddress(Transport.TCP).getPort());
  }

  @Test
  void requestGetsReceivedAndRportAndTheResponseGoesToTheRport() throws Exception {
    String via = "SIP/2.0/UDP client.invalid:5099;branch=z9hG4bK-udp1;rport";
    peer.send(bytes(request("INVITE", "udp-1", via, SipTestSupport.sdp())), edge);

    Received r = handler.next();
    SipRequest invite = assertInstanceOf(SipRequest.class, r.message());
    assertEquals(new Flow(Transport.UDP, edge, new InetSocketAddress(LOOPBACK, peer.port())), r.flow());
    // RFC 3581 §4: rport gets the source port; §18.2.1: received, since the sent-by host is a name.
    assertEquals("SIP/2.0/UDP client.invalid:5099;branch=z9hG4bK-udp1;rport=" + peer.port() + ";received=127.0.0.1",
        invite.headers().first(SipHeaderNames.VIA).orElseThrow());

    Flow back = SipTransports.responseFlow(invite, r.flow());
    assertEquals(new InetSocketAddress(LOOPBACK, peer.port()), back.remote(), "RFC 3581 §4: received address, rport port");
    transports.send(SipMessages.response(invite, 180), back).toCompletableFuture().get(5, TimeUnit.SECONDS);

    SipResponse ringing = asResponse(peer.receive());
    assertEquals(180, ringing.status());
    assertEquals(invite.headers().first(SipHeaderNames.VIA), ringing.headers().first(SipHeaderNames.VIA));
    assertEquals("udp-1", SipMessages.callId(ringing));
  }

  @Test
  void rportIsSetEvenWhenTheSentByHostIsTheSourceAddress() throws Exception {
    String via = "SIP/2.0/UDP 127.0.0.1:5099;rport;branch=z9hG4bK-udp2";
    peer.send(bytes(request("OPTIONS", "udp-2", via, "")), edge);
    SipMessage m = handler.next().message();
    assertEquals("SIP/2.0/UDP 127.0.0.1:5099;rport=" + peer.port() + ";branch=z9hG4bK-udp2;received=127.0.0.1",
        m.headers().first(SipHeaderNames.VIA).orElseThrow());
  }

  @Test
  void viaNamingTheSourceAddressIsLeftAlone() throws Exception {
    String via = "SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-udp3";
    peer.send(bytes(request("OPTIONS", "udp-3", via, "")), edge);
    Received r = handler.next();
    assertEquals(via, r.message().headers().first(SipHeaderNames.VIA).orElseThrow());
    // §18.2.2 without rport: sent-by address and port, which here are the peer's.
    assertEquals(new InetSocketAddress(LOOPBACK, peer.port()),
        SipTransports.responseFlow((SipRequest) r.message(), r.flow()).remote());
  }

  @Test
  void responsesArePassedOnAsTheyAre() throws Exception {
    String response = "SIP/2.0 200 OK\r\n"
        + "Via: SIP/2.0/UDP edge.invalid;branch=z9hG4bK-out1\r\n"
        + "To: <sip:bob@example.com>;tag=b1\r\nFrom: <sip:alice@example.com>;tag=a1\r\n"
        + "Call-ID: udp-resp-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    peer.send(bytes(response), edge);
    Received r = handler.next();
    assertEquals(((SipParseResult.Parsed) SipParser.parse(bytes(response))).message(), r.message());
  }

  @Test
  void keepAlivesAndStunAreIgnoredSilently() throws Exception {
    peer.send(bytes("\r\n\r\n"), edge);
    peer.send(bytes("\r\n"), edge);
    byte[] stunBindingRequest = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, (byte) 0xA4, 0x42,
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    peer.send(stunBindingRequest, edge);
    peer.send(bytes(request("OPTIONS", "after-keepalive", "SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-k", "")), edge);
    assertEquals("after-keepalive", SipMessages.callId(handler.next().message()));
    handler.expectNothing(Duration.ofMillis(200));
    peer.expectNothing(Duration.ofMillis(200));
  }

  /**
   * RFC 4475 §3.1.2.1, §3.1.2.4, §3.1.2.2 and an over-long line: answered, to the source address
   * (the Via of a malformed message is not trusted), with the parser's status.
   */
  @ParameterizedTest
  @CsvSource({"badinv01.dat, 400", "scalar02.dat, 400", "clerr.dat, 400"})
  void malformedRequestsAreAnsweredToTheirSource(String file, int status) throws Exception {
    peer.send(conformance(file), edge);
    String response = peer.receiveText();
    assertTrue(response.startsWith("SIP/2.0 " + status + " "), response);
    // The salvaged headers are copied verbatim, the malformed one included.
    String callId = file.replace(".dat", "");
    assertTrue(response.contains("\r\nCall-ID: " + callId + "."), response);
    assertTrue(response.endsWith("Content-Length: 0\r\n\r\n"), response);
    handler.expectNothing(Duration.ofMillis(100));
  }

  @Test
  void anOverlongLineIsAnswered513() throws Exception {
    peer.send(bytes(SipTestSupport.oversizeLineRequest("SIP/2.0/UDP client.invalid;branch=z9hG4bK-big")), edge);
    SipResponse response = asResponse(peer.receive());
    assertEquals(513, response.status());
    assertEquals("too-large-1", SipMessages.callId(response));
  }

  @Test
  void malformedResponsesAndAcksAreDropped() throws Exception {
    peer.send(conformance("bigcode.dat"), edge); // §3.1.2.19: status code 4294967301
    String badAck = request("ACK", "bad-ack", "SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-ack;;", "");
    peer.send(bytes(badAck), edge);
    peer.expectNothing(Duration.ofMillis(300));
    handler.expectNothing(Duration.ofMillis(50));
  }

  @Test
  void rejectedRequestsAreAnsweredByTheRfc3261Rule() throws Exception {
    // RFC 4475 §3.3.2 unknown Request-URI scheme → 416, sent to received/rport.
    String unknownScheme = request("OPTIONS", "reject-1", "SIP/2.0/UDP client.invalid;rport;branch=z9hG4bK-r1", "")
        .replace("OPTIONS sip:bob@example.com", "OPTIONS nobodyknowsthisscheme:totallyopaquecontent");
    peer.send(bytes(unknownScheme), edge);
    SipResponse response = asResponse(peer.receive());
    assertEquals(416, response.status());
    assertTrue(response.headers().first(SipHeaderNames.VIA).orElseThrow().contains("rport=" + peer.port()));
    handler.expectNothing(Duration.ofMillis(50));
  }

  @Test
  void aMessageTooLargeForADatagramFailsTheSend() throws Exception {
    peer.send(bytes(request("OPTIONS", "big-send", "SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-b", "")), edge);
    SipRequest options = (SipRequest) handler.next().message();
    SipResponse huge = SipMessages.withBody(SipMessages.response(options, 200), "text/plain", new byte[70_000]);
    CompletionException e = assertThrows(CompletionException.class,
        () -> transports.send(huge, transports.flowTo(Transport.UDP, new InetSocketAddress(LOOPBACK, peer.port())))
            .toCompletableFuture().join());
    assertInstanceOf(SipSendException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("does not fit a UDP datagram"), e.getCause().getMessage());
    peer.expectNothing(Duration.ofMillis(200));
  }
}
