package io.switchboard.sip.transport;

import static io.switchboard.sip.transport.SipTestSupport.bytes;
import static io.switchboard.sip.transport.SipTestSupport.conformance;
import static io.switchboard.sip.transport.SipTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipParseResult;
import io.switchboard.sip.message.SipParser;
import io.switchboard.sip.message.SipValidation;
import io.switchboard.sip.message.SipVerdict;
import io.switchboard.sip.transport.SipTestSupport.Received;
import io.switchboard.sip.transport.SipTestSupport.RecordingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every message on its own fresh TCP connection, one connection after the other, from a client
 * bound to 127.0.0.2 (as the node-level RFC 4475 run does): each complete message must reach the
 * handler, also when the client closes right after writing.
 */
class SipTcpFreshConnectionTest {
  private static final String CLIENT_HOST = "127.0.0.2";
  private static final long DELIVERY_WAIT_MS = 2_000;
  private static final int ROUNDS = 200;

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
  void everyOptionsOnAFreshConnectionArrives() throws Exception {
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String callId = "fresh-" + i;
      try (Socket socket = freshSocket()) {
        socket.getOutputStream().write(bytes(options(callId, "f" + i)));
        if (!arrived(callId)) {
          lost.add(callId);
        }
      }
    }
    assertEquals(List.of(), lost, "requests lost on fresh connections");
  }

  @Test
  void everyOptionsArrivesWhenTheClientClosesRightAfterWriting() throws Exception {
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String callId = "close-" + i;
      try (Socket socket = freshSocket()) {
        socket.getOutputStream().write(bytes(options(callId, "c" + i)));
        if (i % 2 == 0) {
          socket.shutdownOutput(); // half-close: FIN right behind the message
        }
      } // full close before the edge has necessarily read anything
      if (!arrived(callId)) {
        lost.add(callId);
      }
    }
    assertEquals(List.of(), lost, "requests lost when the client closed right after writing");
  }

  @Test
  void everyWellFormedConformanceRequestOnAFreshConnectionArrives() throws Exception {
    List<String> files = corpus();
    int expected = 0;
    List<String> lost = new ArrayList<>();
    for (String file : files) {
      byte[] message = conformance(file);
      String callId = deliverableCallId(message);
      try (Socket socket = freshSocket()) {
        socket.getOutputStream().write(message);
        if (callId != null) {
          expected++;
          if (!arrived(callId)) {
            lost.add(file);
          }
        }
      }
    }
    assertTrue(expected >= 10, "only " + expected + " deliverable files in the corpus");
    assertEquals(List.of(), lost, "well-formed requests with a Content-Length lost on fresh connections");
  }

  /**
   * The node-level run sends the corpus over UDP and then the same octets (same branch, sent-by,
   * method) over TCP: the transports must hand the TCP copy to the handler as well. Matching it
   * to a transaction is the transaction layer's business, not the transports'.
   */
  @Test
  void theSameRequestOverUdpThenOverAFreshTcpConnectionArrivesTwice() throws Exception {
    int expected = 0;
    List<String> lost = new ArrayList<>();
    try (java.net.DatagramSocket udp = new java.net.DatagramSocket(
        new InetSocketAddress(InetAddress.getByName(CLIENT_HOST), 0))) {
      for (String file : corpus()) {
        byte[] message = conformance(file);
        String callId = deliverableCallId(message);
        if (callId == null) {
          continue;
        }
        expected++;
        udp.send(new java.net.DatagramPacket(message, message.length, transports.localAddress(Transport.UDP)));
        if (!arrived(callId)) {
          lost.add(file + " over UDP");
        }
        try (Socket socket = freshSocket()) {
          socket.getOutputStream().write(message);
          if (!arrived(callId)) {
            lost.add(file + " over TCP");
          }
        }
      }
    }
    assertTrue(expected >= 10, "only " + expected + " deliverable files in the corpus");
    assertEquals(List.of(), lost, "requests lost");
  }

  /** A client socket bound to 127.0.0.2, connected to the edge's TCP port. */
  private Socket freshSocket() throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(CLIENT_HOST), 0));
    socket.connect(edge, (int) SipTestSupport.WAIT.toMillis());
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** Waits (bounded) for the message with {@code callId}; anything else delivered is skipped. */
  private boolean arrived(String callId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_WAIT_MS);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Received r = handler.received.poll(left, TimeUnit.NANOSECONDS);
      if (r == null) {
        return false;
      }
      if (callId.equals(SipMessages.callId(r.message()))) {
        return true;
      }
    }
  }

  /**
   * The Call-ID of a message the transports must hand to the handler on a stream: a request that
   * parses on its own, has a Content-Length and passes validation; null for any other.
   */
  private static String deliverableCallId(byte[] message) {
    if (!(SipParser.parseStream(message) instanceof SipParseResult.Parsed parsed)) {
      return null;
    }
    SipMessage m = parsed.message();
    if (!(m instanceof io.switchboard.sip.message.SipRequest)
        || m.headers().first(SipHeaderNames.CONTENT_LENGTH).isEmpty()
        || !(SipValidation.check(m) instanceof SipVerdict.Acceptable)) {
      return null;
    }
    return SipMessages.callId(m);
  }

  private static List<String> corpus() {
    try (InputStream in = SipTestSupport.class.getResourceAsStream("/conformance/sip-rfc4475/expectations.tsv")) {
      List<String> files = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String file = line.split("\t")[0].trim();
        if (file.endsWith(".dat")) {
          files.add(file);
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
