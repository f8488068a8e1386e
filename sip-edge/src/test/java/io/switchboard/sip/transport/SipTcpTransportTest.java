package io.switchboard.sip.transport;

import static io.switchboard.sip.transport.SipTestSupport.LOOPBACK;
import static io.switchboard.sip.transport.SipTestSupport.asResponse;
import static io.switchboard.sip.transport.SipTestSupport.bytes;
import static io.switchboard.sip.transport.SipTestSupport.conformance;
import static io.switchboard.sip.transport.SipTestSupport.options;
import static io.switchboard.sip.transport.SipTestSupport.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.SipTestSupport.Received;
import io.switchboard.sip.transport.SipTestSupport.RecordingHandler;
import io.switchboard.sip.transport.SipTestSupport.StreamReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SIP over TCP on real loopback sockets: framing, keep-alives, connection reuse and bounds. */
class SipTcpTransportTest {
  @TempDir
  Path dir;

  private final RecordingHandler handler = new RecordingHandler();
  private SipTransports transports;
  private InetSocketAddress edge;

  @BeforeEach
  void start() {
    transports = SipTransports.start(SipTestSupport.settings(dir), handler);
    edge = transports.localAddress(Transport.TCP);
  }

  @AfterEach
  void stop() {
    transports.close();
  }

  @Test
  void twoMessagesInOneWriteAreTwoMessages() throws Exception {
    try (Socket socket = SipTestSupport.connect(edge)) {
      socket.getOutputStream().write(bytes(options("two-1", "a") + options("two-2", "b")));
      Received first = handler.next();
      Received second = handler.next();
      assertEquals("two-1", SipMessages.callId(first.message()));
      assertEquals("two-2", SipMessages.callId(second.message()));
      Flow expected = new Flow(Transport.TCP, (InetSocketAddress) socket.getRemoteSocketAddress(),
          (InetSocketAddress) socket.getLocalSocketAddress());
      assertEquals(expected, first.flow());
      assertEquals(expected, second.flow());
      handler.expectNothing(Duration.ofMillis(100));
    }
  }

  @Test
  void oneMessageSplitOverThreeWritesIsOneMessage() throws Exception {
    byte[] invite = bytes(request("INVITE", "split-1", "SIP/2.0/TCP client.invalid;branch=z9hG4bK-s", SipTestSupport.sdp()));
    int headerEnd = new String(invite, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
    int[] cuts = {20, headerEnd + 3}; // inside the Request-Line, inside the CRLFCRLF
    try (Socket socket = SipTestSupport.connect(edge)) {
      OutputStream out = socket.getOutputStream();
      out.write(Arrays.copyOfRange(invite, 0, cuts[0]));
      out.flush();
      handler.expectNothing(Duration.ofMillis(100));
      out.write(Arrays.copyOfRange(invite, cuts[0], cuts[1]));
      out.flush();
      handler.expectNothing(Duration.ofMillis(100));
      out.write(Arrays.copyOfRange(invite, cuts[1], invite.length));
      SipRequest received = assertInstanceOf(SipRequest.class, handler.next().message());
      assertEquals("INVITE", received.method());
      assertArrayEquals(bytes(SipTestSupport.sdp()), received.body().bytes());
      handler.expectNothing(Duration.ofMillis(100));
    }
  }

  @Test
  void pipelinedMessagesArriveInOrder() throws Exception {
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      burst.append(i % 2 == 0 ? options("pipe-" + i, "p" + i)
          : request("INVITE", "pipe-" + i, "SIP/2.0/TCP client.invalid;branch=z9hG4bK-p" + i, SipTestSupport.sdp()));
    }
    try (Socket socket = SipTestSupport.connect(edge)) {
      socket.getOutputStream().write(bytes(burst.toString()));
      for (int i = 0; i < 200; i++) {
        assertEquals("pipe-" + i, SipMessages.callId(handler.next().message()));
      }
    }
  }

  @Test
  void anOversizeContentLengthIsAnswered413AndTheConnectionClosed() throws Exception {
    String huge = options("cl-huge", "h").replace("Content-Length: 0", "Content-Length: 100000");
    try (Socket socket = SipTestSupport.connect(edge)) {
      StreamReader in = new StreamReader(socket);
      socket.getOutputStream().write(bytes(huge));
      SipResponse response = asResponse(in.next());
      assertEquals(413, response.status());
      assertEquals("cl-huge", SipMessages.callId(response));
      in.expectClosed();
    }
    handler.expectNothing(Duration.ofMillis(50));
  }

  @ParameterizedTest
  @CsvSource({"badinv01.dat, 400", "scalar02.dat, 400"})
  void malformedRequestsAreAnsweredAndTheConnectionClosed(String file, int status) throws Exception {
    try (Socket socket = SipTestSupport.connect(edge)) {
      // What follows a malformed message cannot be framed; it must be ignored.
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.write(conformance(file));
      both.write(bytes(options("after-malformed", "x")));
      socket.getOutputStream().write(both.toByteArray());
      String response = readUntilClosed(socket);
      assertTrue(response.startsWith("SIP/2.0 " + status + " "), response);
      assertTrue(response.contains("\r\nCall-ID: " + file.replace(".dat", ".")), response);
      assertEquals(1, response.split("SIP/2.0 ", -1).length - 1, "exactly one response: " + response);
    }
    handler.expectNothing(Duration.ofMillis(50));
  }

  @Test
  void anOverlongLineIsAnswered513AndTheConnectionClosed() throws Exception {
    try (Socket socket = SipTestSupport.connect(edge)) {
      StreamReader in = new StreamReader(socket);
      socket.getOutputStream().write(bytes(SipTestSupport.oversizeLineRequest("SIP/2.0/TCP client.invalid;branch=z9hG4bK-l")));
      SipResponse response = asResponse(in.next());
      assertEquals(513, response.status());
      in.expectClosed();
    }
  }

  @Test
  void bext01IsAnswered420WithUnsupported() throws Exception {
    try (Socket socket = SipTestSupport.connect(edge)) {
      StreamReader in = new StreamReader(socket);
      socket.getOutputStream().write(conformance("bext01.dat"));
      SipResponse response = asResponse(in.next());
      assertEquals(420, response.status());
      // RFC 3261 §8.2.2.3, RFC 4475 §3.3.5: the Unsupported header lists what we lack.
      assertEquals("nothingSupportsThis, nothingSupportsThisEither, noProxiesSupportThis, norDoAnyProxiesSupportThis",
          response.headers().first("Unsupported").orElseThrow());
      // A well-formed request that is rejected keeps the connection.
      socket.getOutputStream().write(bytes(options("after-420", "y")));
      assertEquals("after-420", SipMessages.callId(handler.next().message()));
    }
  }

  @Test
  void responsesAndNewRequestsReuseTheAcceptedConnection() throws Exception {
    try (Socket socket = SipTestSupport.connect(edge)) {
      StreamReader in = new StreamReader(socket);
      socket.getOutputStream().write(bytes(options("reuse-1", "r")));
      Received r = handler.next();
      SipRequest options = (SipRequest) r.message();

      Flow back = SipTransports.responseFlow(options, r.flow());
      assertEquals(r.flow(), back, "RFC 3261 §18.2.2: reliable transports answer on the same connection");
      transports.send(SipMessages.response(options, 200), back).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(200, asResponse(in.next()).status());

      // A new request to that peer goes over the same connection, not a new one to its port.
      Flow toPeer = transports.flowTo(Transport.TCP, r.flow().remote());
      assertEquals(r.flow(), toPeer);
      SipRequest notify = new SipRequest("NOTIFY", "sip:alice@client.invalid", "SIP/2.0", options.headers()
          .withOnly(SipHeaderNames.CSEQ, "2 NOTIFY"), io.switchboard.sip.message.SipBody.EMPTY);
      transports.send(notify, toPeer).toCompletableFuture().get(5, TimeUnit.SECONDS);
      SipMessage second = in.next();
      assertEquals("NOTIFY", assertInstanceOf(SipRequest.class, second).method());
      assertEquals(1, transports.openConnections());
    }
  }

  @Test
  void aCrlfCrlfPingIsAnsweredWithACrlfPong() throws Exception {
    try (Socket socket = SipTestSupport.connect(edge)) {
      StreamReader in = new StreamReader(socket);
      OutputStream out = socket.getOutputStream();
      out.write(bytes("\r\n\r\n"));
      assertArrayEquals(bytes("\r\n"), in.raw(2), "RFC 5626 §4.4.1 pong");
      // A lone CRLF between messages is skipped, not answered (RFC 3261 §7.5).
      out.write(bytes("\r\n" + options("after-ping", "z")));
      assertEquals("after-ping", SipMessages.callId(handler.next().message()));
      out.write(bytes("\r\n\r\n"));
      assertArrayEquals(bytes("\r\n"), in.raw(2));
      socket.setSoTimeout(300);
      assertThrows(java.net.SocketTimeoutException.class, () -> socket.getInputStream().read(),
          "nothing but the two pongs");
    }
  }

  @Test
  void theEdgeDialsAndTheAnswerComesBackOnThatConnection() throws Exception {
    RecordingHandler otherHandler = new RecordingHandler();
    try (SipTransports other = SipTransports.start(SipTestSupport.settings(dir.resolve("other")), otherHandler)) {
      SipRequest options = (SipRequest) parse(options("dial-1", "d"));
      Flow out = transports.flowTo(Transport.TCP, other.localAddress(Transport.TCP));
      transports.send(options, out).toCompletableFuture().get(5, TimeUnit.SECONDS);

      Received atOther = otherHandler.next();
      assertEquals("dial-1", SipMessages.callId(atOther.message()));
      other.send(SipMessages.response((SipRequest) atOther.message(), 200),
          SipTransports.responseFlow((SipRequest) atOther.message(), atOther.flow())).toCompletableFuture().get(5, TimeUnit.SECONDS);

      Received answer = handler.next();
      assertEquals(200, asResponse(answer.message()).status());
      assertEquals(other.localAddress(Transport.TCP), answer.flow().remote());
      assertEquals(1, transports.openConnections());
      // The next request reuses the dialled connection.
      transports.send(parse(options("dial-2", "e")), transports.flowTo(Transport.TCP, other.localAddress(Transport.TCP)))
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(atOther.flow(), otherHandler.next().flow());
      assertEquals(1, transports.openConnections());
    }
  }

  @Test
  void sendingToAClosedPortFailsTheStage() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      closedPort = s.getLocalPort();
    }
    SipMessage options = parse(options("refused", "c"));
    CompletionException e = assertThrows(CompletionException.class, () -> transports
        .send(options, transports.flowTo(Transport.TCP, new InetSocketAddress(LOOPBACK, closedPort)))
        .toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join());
    assertInstanceOf(SipSendException.class, e.getCause(), e.toString());
    assertTrue(e.getCause().getMessage().contains(String.valueOf(closedPort)), e.getCause().getMessage());
    assertEquals(0, waitForConnections(0), "the failed connection is released");
  }

  @Test
  void webSocketPeersCannotBeDialled() {
    CompletionException e = assertThrows(CompletionException.class, () -> transports
        .send(parse(options("ws-dial", "w")), transports.flowTo(Transport.WS, new InetSocketAddress(LOOPBACK, 9)))
        .toCompletableFuture().join());
    assertInstanceOf(SipSendException.class, e.getCause());
  }

  @Test
  void connectionsBeyondMaxConnectionsAreClosed() throws Exception {
    transports.close();
    transports = SipTransports.start(SipTestSupport.settings(dir).withMaxConnections(1), handler);
    edge = transports.localAddress(Transport.TCP);
    try (Socket first = SipTestSupport.connect(edge)) {
      // Admitted once a message got through (admission order of simultaneous accepts is not fixed).
      first.getOutputStream().write(bytes(options("within-limit", "m")));
      assertEquals("within-limit", SipMessages.callId(handler.next().message()));
      try (Socket second = SipTestSupport.connect(edge)) {
        new StreamReader(second).expectClosed();
      }
      assertEquals(1, transports.openConnections());
      first.getOutputStream().write(bytes(options("still-open", "n")));
      assertEquals("still-open", SipMessages.callId(handler.next().message()));
    }
    assertEquals(0, waitForConnections(0));
  }

  @Test
  void idleConnectionsAreClosed() throws Exception {
    transports.close();
    transports = SipTransports.start(SipTestSupport.settings(dir).withIdleTimeout(Duration.ofMillis(300)), handler);
    try (Socket socket = SipTestSupport.connect(transports.localAddress(Transport.TCP))) {
      long start = System.nanoTime();
      new StreamReader(socket).expectClosed();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs >= 200 && elapsedMs < 4000, "closed after " + elapsedMs + " ms");
    }
    assertEquals(0, waitForConnections(0));
  }

  @Test
  void closeReleasesEveryPort() throws Exception {
    int udpTcp = edge.getPort();
    int tls = transports.localAddress(Transport.TLS).getPort();
    int ws = transports.localAddress(Transport.WS).getPort();
    int wss = transports.localAddress(Transport.WSS).getPort();
    transports.close();
    InetAddress loopback = InetAddress.getByName(LOOPBACK);
    for (int port : new int[] {udpTcp, tls, ws, wss}) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(loopback, port));
      }
    }
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, udpTcp))) {
      assertEquals(udpTcp, udp.getLocalPort());
    }
  }

  @Test
  void aPortInUseFailsTheStartNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      int port = taken.getLocalPort();
      TransportSettings clash = SipTestSupport.settings(dir).withPorts(port, 0, java.util.OptionalInt.empty(),
          java.util.OptionalInt.empty());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> SipTransports.start(clash, handler));
      assertTrue(e.getMessage().contains("TCP") && e.getMessage().contains("port " + port), e.getMessage());
    }
  }

  private int waitForConnections(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (transports.openConnections() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return transports.openConnections();
  }

  private static SipMessage parse(String text) {
    return ((io.switchboard.sip.message.SipParseResult.Parsed) io.switchboard.sip.message.SipParser.parse(bytes(text)))
        .message();
  }

  private static String readUntilClosed(Socket socket) throws IOException {
    socket.setSoTimeout((int) SipTestSupport.WAIT.toMillis());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[4096];
    int n;
    try {
      while ((n = in.read(chunk)) >= 0) {
        out.write(chunk, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // closed with unread input: a reset; what arrived before it counts
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
