package io.switchboard.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipParseResult;
import io.switchboard.sip.message.SipParser;
import io.switchboard.sip.message.SipResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Loopback-only helpers for the transport tests: settings, a recording handler, raw peers. */
final class SipTestSupport {
  static final String LOOPBACK = "127.0.0.1";
  static final Duration WAIT = Duration.ofSeconds(5);

  private SipTestSupport() {}

  /** Every transport on 127.0.0.1 with ephemeral ports, a self-signed certificate in {@code dir}. */
  static TransportSettings settings(Path dir) {
    return TransportSettings.defaults(LOOPBACK, dir)
        .withPorts(0, 0, OptionalInt.of(0), OptionalInt.of(0))
        .withClientTrust(new ClientTrust.OwnCertificate())
        .withUdpReceiveBufferBytes(TransportSettings.MIN_UDP_RECEIVE_BUFFER_BYTES);
  }

  /** A message and the flow it arrived on. */
  record Received(SipMessage message, Flow flow) {}

  /** Records what the transports deliver. */
  static final class RecordingHandler implements InboundSipHandler {
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(SipMessage message, Flow flow) {
      received.add(new Received(message, flow));
    }

    Received next() throws InterruptedException {
      Received r = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(r, "no message reached the handler within " + WAIT);
      return r;
    }

    void expectNothing(Duration quiet) throws InterruptedException {
      Received r = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      assertNull(r, "the handler got a message it should not have: " + r);
    }
  }

  /** A request in wire form; {@code via} is the whole Via value. Content-Length always present. */
  static String request(String method, String callId, String via, String body) {
    return method + " sip:bob@example.com SIP/2.0\r\n"
        + "Via: " + via + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "To: <sip:bob@example.com>\r\n"
        + "From: <sip:alice@example.com>;tag=a1\r\n"
        + "Call-ID: " + callId + "\r\n"
        + "CSeq: 1 " + method + "\r\n"
        + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
        + "\r\n"
        + body;
  }

  static String options(String callId, String branch) {
    return request("OPTIONS", callId, "SIP/2.0/TCP client.invalid:5070;branch=z9hG4bK" + branch, "");
  }

  static String sdp() {
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n";
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] conformance(String file) {
    try (InputStream in = SipTestSupport.class.getResourceAsStream("/conformance/sip-rfc4475/" + file)) {
      assertNotNull(in, file + " is not on the test classpath");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request with one header line longer than the parser's 8 KiB line limit (513). */
  static String oversizeLineRequest(String via) {
    String request = request("OPTIONS", "too-large-1", via, "");
    return request.replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nSubject: " + "x".repeat(9000) + "\r\n");
  }

  static SipResponse asResponse(SipMessage m) {
    return assertInstanceOf(SipResponse.class, m);
  }

  /** A UDP peer on 127.0.0.1. */
  static final class UdpPeer implements AutoCloseable {
    final DatagramSocket socket;

    UdpPeer() throws IOException {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      socket.setSoTimeout((int) WAIT.toMillis());
    }

    int port() {
      return socket.getLocalPort();
    }

    void send(byte[] bytes, InetSocketAddress to) throws IOException {
      socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    SipMessage receive() throws IOException {
      byte[] buffer = new byte[65_536];
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      socket.receive(p);
      SipParseResult r = SipParser.parse(Arrays.copyOf(buffer, p.getLength()));
      return assertInstanceOf(SipParseResult.Parsed.class, r, "not a SIP message: " + r).message();
    }

    /**
     * The next datagram as text: error responses to malformed requests copy the offending Via or
     * CSeq, so a strict parser would refuse them.
     */
    String receiveText() throws IOException {
      byte[] buffer = new byte[65_536];
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      socket.receive(p);
      return new String(buffer, 0, p.getLength(), StandardCharsets.ISO_8859_1);
    }

    /** Nothing arrives within {@code quiet}. */
    void expectNothing(Duration quiet) throws IOException {
      socket.setSoTimeout((int) quiet.toMillis());
      try {
        byte[] buffer = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        socket.receive(p);
        throw new AssertionError("unexpected datagram: " + new String(buffer, 0, p.getLength(), StandardCharsets.ISO_8859_1));
      } catch (SocketTimeoutException expected) {
        // quiet, as expected
      } finally {
        socket.setSoTimeout((int) WAIT.toMillis());
      }
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** Reads SIP messages off a stream socket with the stream parser. */
  static final class StreamReader {
    private final InputStream in;
    private byte[] buffered = new byte[0];

    StreamReader(Socket socket) throws IOException {
      socket.setSoTimeout((int) WAIT.toMillis());
      this.in = socket.getInputStream();
    }

    SipMessage next() throws IOException {
      while (true) {
        if (buffered.length > 0) {
          SipParseResult r = SipParser.parseStream(buffered);
          if (r instanceof SipParseResult.Parsed p) {
            buffered = p.trailingBytes();
            return p.message();
          }
          assertInstanceOf(SipParseResult.NeedMoreBytes.class, r, "bad message from the edge: " + r);
        }
        byte[] chunk = new byte[8192];
        int n = in.read(chunk);
        if (n < 0) {
          throw new AssertionError("connection closed before a whole message arrived");
        }
        byte[] more = Arrays.copyOf(buffered, buffered.length + n);
        System.arraycopy(chunk, 0, more, buffered.length, n);
        buffered = more;
      }
    }

    /** Exactly {@code count} raw octets. */
    byte[] raw(int count) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(buffered, 0, Math.min(count, buffered.length));
      buffered = Arrays.copyOfRange(buffered, Math.min(count, buffered.length), buffered.length);
      while (out.size() < count) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("connection closed after " + out.size() + " of " + count + " octets");
        }
        out.write(b);
      }
      return out.toByteArray();
    }

    /** The peer closes the connection (after whatever is already buffered) within the timeout. */
    void expectClosed() throws IOException {
      assertEquals(0, buffered.length, "unread octets before the close");
      byte[] chunk = new byte[8192];
      int n;
      try {
        n = in.read(chunk);
      } catch (java.net.SocketException reset) {
        return; // a reset is a close too
      }
      assertEquals(-1, n, "expected the connection to be closed, got " + n + " octets: "
          + (n > 0 ? new String(chunk, 0, n, StandardCharsets.ISO_8859_1) : ""));
    }
  }

  static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address, (int) WAIT.toMillis());
    socket.setTcpNoDelay(true);
    return socket;
  }
}
