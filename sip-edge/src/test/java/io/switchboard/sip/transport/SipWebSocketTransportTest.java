package io.switchboard.sip.transport;

import static io.switchboard.sip.transport.SipTestSupport.bytes;
import static io.switchboard.sip.transport.SipTestSupport.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP over WebSocket (RFC 7118) with the JDK's WebSocket client. */
class SipWebSocketTransportTest {
  @TempDir
  Path dir;

  private final RecordingHandler handler = new RecordingHandler();
  private SipTransports transports;

  @BeforeEach
  void start() {
    transports = SipTransports.start(SipTestSupport.settings(dir), handler);
  }

  @AfterEach
  void stop() {
    transports.close();
  }

  /** Collects whole text messages. */
  static final class Collector implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.append(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    String next() throws InterruptedException {
      String m = messages.poll(SipTestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(m, "no WebSocket message within " + SipTestSupport.WAIT);
      return m;
    }
  }

  private static WebSocket open(HttpClient client, URI uri, Collector collector, String... subprotocols) throws Exception {
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(SipTestSupport.WAIT);
    if (subprotocols.length > 0) {
      builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    return builder.buildAsync(uri, collector).get(5, TimeUnit.SECONDS);
  }

  private static URI uri(String scheme, InetSocketAddress address, String path) {
    return URI.create(scheme + "://127.0.0.1:" + address.getPort() + path);
  }

  @Test
  void anInviteFrameIsDeliveredAndTheResponseComesBackAsAFrame() throws Exception {
    Collector collector = new Collector();
    WebSocket ws = open(HttpClient.newHttpClient(), uri("ws", transports.localAddress(Transport.WS), "/"), collector, "sip");
    assertEquals("sip", ws.getSubprotocol(), "RFC 7118 §4: the server agrees to sip");

    // RFC 7118 §5: one message per frame; Content-Length is not needed.
    String invite = request("INVITE", "ws-1", "SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK-ws1", SipTestSupport.sdp())
        .replaceAll("Content-Length: \\d+\r\n", "");
    ws.sendText(invite, true).get(5, TimeUnit.SECONDS);

    Received r = handler.next();
    SipRequest received = assertInstanceOf(SipRequest.class, r.message());
    assertEquals("INVITE", received.method());
    assertEquals(Transport.WS, r.flow().transport());
    assertTrue(received.headers().first(SipHeaderNames.VIA).orElseThrow().endsWith(";received=127.0.0.1"),
        "the WebSocket client's Via names an invalid host, so received is added");

    transports.send(SipMessages.response(received, 180), SipTransports.responseFlow(received, r.flow()))
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
    SipResponse ringing = response(collector.next());
    assertEquals(180, ringing.status());
    assertEquals("ws-1", SipMessages.callId(ringing));

    // A request to the WebSocket client goes over its connection (it cannot be dialled).
    SipRequest bye = new SipRequest("BYE", "sip:alice@df7jal23ls0d.invalid;transport=ws", "SIP/2.0",
        received.headers().withOnly(SipHeaderNames.CSEQ, "2 BYE"), io.switchboard.sip.message.SipBody.EMPTY);
    transports.send(bye, transports.flowTo(Transport.WS, r.flow().remote())).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertTrue(collector.next().startsWith("BYE "));
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }

  @Test
  void aMalformedFrameIsAnsweredAndTheConnectionStaysOpen() throws Exception {
    Collector collector = new Collector();
    WebSocket ws = open(HttpClient.newHttpClient(), uri("ws", transports.localAddress(Transport.WS), "/"), collector, "sip");
    ws.sendText(new String(SipTestSupport.conformance("scalar02.dat"), java.nio.charset.StandardCharsets.ISO_8859_1), true)
        .get(5, TimeUnit.SECONDS);
    assertTrue(collector.next().startsWith("SIP/2.0 400 "));
    // RFC 5626 keep-alive as some WebSocket clients send it.
    ws.sendText("\r\n\r\n", true).get(5, TimeUnit.SECONDS);
    assertEquals("\r\n", collector.next());
    ws.sendText(request("OPTIONS", "ws-after", "SIP/2.0/WS client.invalid;branch=z9hG4bK-ws2", ""), true)
        .get(5, TimeUnit.SECONDS);
    assertEquals("ws-after", SipMessages.callId(handler.next().message()));
  }

  @Test
  void aHandshakeWithoutTheSipSubprotocolIsRefused() {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> open(HttpClient.newHttpClient(), uri("ws", transports.localAddress(Transport.WS), "/"), new Collector()));
    WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
    assertEquals(400, refused.getResponse().statusCode());
  }

  @Test
  void aHandshakeOnAnotherPathIsRefused() {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> open(HttpClient.newHttpClient(), uri("ws", transports.localAddress(Transport.WS), "/other"), new Collector(), "sip"));
    assertEquals(404, assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse().statusCode());
  }

  @Test
  void secureWebSocketWorksWithTheGeneratedCertificate() throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(SipTlsTransportTest.trusting(dir.resolve(TlsCredentials.CERTIFICATE_FILE)))
        .connectTimeout(Duration.ofSeconds(5)).build();
    Collector collector = new Collector();
    WebSocket ws = open(client, uri("wss", transports.localAddress(Transport.WSS), "/"), collector, "sip");
    ws.sendText(request("OPTIONS", "wss-1", "SIP/2.0/WSS client.invalid;branch=z9hG4bK-wss1", ""), true)
        .get(5, TimeUnit.SECONDS);
    Received r = handler.next();
    assertEquals(Transport.WSS, r.flow().transport());
    transports.send(SipMessages.response((SipRequest) r.message(), 200), r.flow()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(200, response(collector.next()).status());
  }

  private static SipResponse response(String text) {
    SipMessage m = assertInstanceOf(SipParseResult.Parsed.class, SipParser.parse(bytes(text))).message();
    return assertInstanceOf(SipResponse.class, m);
  }
}
