package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.config.Ports;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RFC 4475 torture messages sent over the wire to a running node, over UDP and over TCP, and
 * the node's answers compared with what the RFC expects of a registrar/UA: the proper error for
 * every invalid message, silence for broken responses, and for the valid ones an answer from the
 * application (never a parse error). The node keeps serving: an OPTIONS afterwards is answered.
 *
 * <p>UDP answers go where Via says (RFC 3261 §18.2.2: the received address and the sent-by port,
 * 5060 when absent), so the test listens on 127.0.0.2 at the ports the corpus names.
 */
class SipTortureWireTest {
  static final Path CORPUS = Path.of("../sip-edge/src/test/resources/conformance/sip-rfc4475").toAbsolutePath();
  static final InetAddress CLIENT = loopback2();
  /** Ports the corpus's Via sent-by values name (none: 5060, or 5061 for TLS). */
  static final List<Integer> VIA_PORTS = List.of(5060, 5050, 5070, 5061);

  /**
   * The final status each request must get on the wire. Invalid messages: the RFC's error; valid
   * ones: what this node's application answers (their domains are not served here: 404; unknown
   * methods 501; MESSAGE 405; OPTIONS 200; wsinv.dat has a To tag, so it is a request in a dialog we do
   * not know: 481). Empty: no answer at all (responses are never answered, and test.dat has no Via
   * to answer to).
   */
  static final Map<String, OptionalInt> EXPECTED = Map.ofEntries(
      Map.entry("wsinv.dat", s(481)), Map.entry("intmeth.dat", s(501)), Map.entry("esc01.dat", s(404)),
      Map.entry("escnull.dat", s(404)), Map.entry("esc02.dat", s(501)), Map.entry("lwsdisp.dat", s(200)),
      Map.entry("longreq.dat", s(404)), Map.entry("dblreq.dat", s(404)), Map.entry("semiuri.dat", s(200)),
      Map.entry("transports.dat", s(200)), Map.entry("mpart01.dat", s(405)), Map.entry("unreason.dat", none()),
      Map.entry("noreason.dat", none()), Map.entry("badinv01.dat", s(400)), Map.entry("clerr.dat", s(400)),
      Map.entry("ncl.dat", s(400)), Map.entry("scalar02.dat", s(400)), Map.entry("scalarlg.dat", none()),
      Map.entry("quotbal.dat", s(400)), Map.entry("ltgtruri.dat", s(400)), Map.entry("lwsruri.dat", s(400)),
      Map.entry("lwsstart.dat", s(400)), Map.entry("trws.dat", s(400)), Map.entry("escruri.dat", s(400)),
      Map.entry("baddate.dat", s(400)), Map.entry("regbadct.dat", s(400)), Map.entry("badaspec.dat", s(400)),
      Map.entry("baddn.dat", s(400)), Map.entry("badvers.dat", s(505)), Map.entry("mismatch01.dat", s(400)),
      Map.entry("mismatch02.dat", s(501)), Map.entry("bigcode.dat", none()), Map.entry("badbranch.dat", s(400)),
      Map.entry("insuf.dat", s(400)), Map.entry("unkscm.dat", s(416)), Map.entry("novelsc.dat", s(416)),
      Map.entry("unksm2.dat", s(400)), Map.entry("bext01.dat", s(420)), Map.entry("invut.dat", s(415)),
      Map.entry("regaut01.dat", s(404)), Map.entry("multi01.dat", s(400)), Map.entry("mcl01.dat", s(400)),
      Map.entry("bcast.dat", none()), Map.entry("zeromf.dat", s(200)), Map.entry("cparam01.dat", s(404)),
      Map.entry("cparam02.dat", s(404)), Map.entry("regescrt.dat", s(404)), Map.entry("sdp01.dat", s(406)),
      Map.entry("inv2543.dat", s(404)), Map.entry("test.dat", none()));

  /**
   * On a stream, a message whose Content-Length promises more than was sent, or whose header never
   * ends, is not yet a message: the element waits for the rest (RFC 4475 §3.1.2.2).
   */
  static final List<String> STREAM_WAITS = List.of("clerr.dat", "baddn.dat");

  /** On a stream Content-Length is mandatory (RFC 3261 §20.14): the RFC 2543-style INVITE without it is refused. */
  static final Map<String, Integer> STREAM_STATUS = Map.of("inv2543.dat", 400);

  static Node node;
  static int sipPort;

  /**
   * A node per test: both halves send the same bytes (same branch, sent-by, method), so on one node
   * the TCP copy would be, by RFC 3261 §17.2.3, a retransmission of the UDP transaction and be
   * answered over UDP.
   */
  @BeforeEach
  void start() throws Exception {
    sipPort = Ports.freePort();
    node = TestNodes.start(TestNodes.configuration(Ports.freePort(), List.of(),
        io.switchboard.persistence.testkit.TestCassandra.contactPoint(),
        Map.of("switchboard.sip.port", sipPort, "switchboard.sip.tls-port", 0, "switchboard.sip.ws-port", 0)));
  }

  @AfterEach
  void stop() throws Exception {
    node.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  static OptionalInt s(int status) {
    return OptionalInt.of(status);
  }

  static OptionalInt none() {
    return OptionalInt.empty();
  }

  static InetAddress loopback2() {
    try {
      return InetAddress.getByName("127.0.0.2");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static final java.util.Set<String> VALID = new java.util.HashSet<>();

  static List<String> files() throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(CORPUS.resolve("expectations.tsv")).subList(1, 51)) {
      String[] cells = line.split("\t");
      out.add(cells[0]);
      if (cells[2].equals("valid")) {
        VALID.add(cells[0]);
      }
    }
    assertEquals(EXPECTED.keySet(), new java.util.HashSet<>(out), "a wire expectation for every corpus file");
    return out;
  }

  @Test
  void overUdpEveryMessageGetsTheExpectedAnswer() throws Exception {
    List<DatagramSocket> sockets = new ArrayList<>();
    try {
      for (int port : VIA_PORTS) {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(CLIENT, port));
        socket.setSoTimeout(50);
        sockets.add(socket);
      }
      List<String> wrong = new ArrayList<>();
      InetSocketAddress edge = new InetSocketAddress("127.0.0.1", sipPort);
      Map<String, String> firstWithKey = new java.util.HashMap<>();
      for (String file : files()) {
        byte[] octets = Files.readAllBytes(CORPUS.resolve(file));
        // Some corpus messages share branch, sent-by and method: RFC 3261 §17.2.3 makes the later one
        // a retransmission of the earlier transaction, answered with that transaction's response.
        // Only requests the application answers make transactions; stateless rejections do not.
        boolean makesTransaction = VALID.contains(file);
        String earlier = transactionKey(octets).filter(k -> makesTransaction)
            .map(k -> firstWithKey.putIfAbsent(k, file)).orElse(file);
        String answeredAs = EXPECTED.get(file).isPresent() && EXPECTED.get(earlier).isPresent() ? earlier : file;
        sockets.get(0).send(new DatagramPacket(octets, octets.length, edge));
        byte[] expectedFrom = Files.readAllBytes(CORPUS.resolve(answeredAs));
        List<Integer> finals = collectUdp(sockets, callIdOf(expectedFrom), EXPECTED.get(file).isPresent() ? 3000 : 1000);
        check(file, EXPECTED.get(answeredAs), finals, wrong);
      }
      assertTrue(wrong.isEmpty(), "over UDP: " + wrong);
    } finally {
      sockets.forEach(DatagramSocket::close);
    }
    stillServes();
  }

  @Test
  void overTcpEveryMessageGetsTheExpectedAnswer() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String file : files()) {
      byte[] octets = Files.readAllBytes(CORPUS.resolve(file));
      OptionalInt expected = STREAM_WAITS.contains(file) ? none()
          : STREAM_STATUS.containsKey(file) ? s(STREAM_STATUS.get(file)) : EXPECTED.get(file);
      try (Socket socket = new Socket()) {
        socket.bind(new InetSocketAddress(CLIENT, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", sipPort), 3000);
        socket.getOutputStream().write(octets);
        socket.getOutputStream().flush();
        List<Integer> finals = collectTcp(socket, expected.isPresent() ? 3000 : 1000);
        check(file, expected, finals, wrong);
      }
    }
    assertTrue(wrong.isEmpty(), "over TCP: " + wrong);
    stillServes();
  }

  static void check(String file, OptionalInt expected, List<Integer> finals, List<String> wrong) {
    List<Integer> want = expected.isPresent() ? List.of(expected.getAsInt()) : List.of();
    // A retransmitted final (UDP timer G) is the same answer again.
    List<Integer> distinct = finals.stream().distinct().toList();
    if (!distinct.equals(want)) {
      wrong.add(file + " answered " + finals + ", expected " + want);
    }
  }

  /** The node still answers after the whole corpus. */
  static void stillServes() throws Exception {
    String options = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-alive-"
        + System.nanoTime() + ";rport\r\nFrom: <sip:probe@127.0.0.2>;tag=1\r\nTo: <sip:127.0.0.1>\r\n"
        + "Call-ID: alive-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(CLIENT, 0))) {
      socket.setSoTimeout(3000);
      byte[] b = options.getBytes(StandardCharsets.US_ASCII);
      socket.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", sipPort)));
      DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
      socket.receive(in);
      assertEquals(Optional.of(200), status(new String(in.getData(), 0, in.getLength(), StandardCharsets.ISO_8859_1)));
    }
  }

  static List<Integer> collectUdp(List<DatagramSocket> sockets, Optional<String> callId, long millis) throws Exception {
    List<Integer> finals = new ArrayList<>();
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      for (DatagramSocket socket : sockets) {
        DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
        try {
          socket.receive(in);
        } catch (SocketTimeoutException e) {
          continue;
        }
        String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.ISO_8859_1);
        boolean ours = callIdOf(text.getBytes(StandardCharsets.ISO_8859_1)).equals(callId);
        status(text).filter(st -> st >= 200 && ours).ifPresent(finals::add);
      }
      if (!finals.isEmpty()) {
        // One more short look for a second, different answer (e.g. the octets trailing dblreq.dat).
        deadline = Math.min(deadline, System.nanoTime() + 300_000_000L);
      }
    }
    return finals;
  }

  static List<Integer> collectTcp(Socket socket, long millis) throws Exception {
    socket.setSoTimeout(100);
    InputStream in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    byte[] buf = new byte[65536];
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      try {
        int n = in.read(buf);
        if (n < 0) {
          break; // closed by the node (framing lost)
        }
        text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      } catch (SocketTimeoutException e) {
        if (finalsIn(text.toString()).size() > 0) {
          break;
        }
      }
    }
    return finalsIn(text.toString());
  }

  static List<Integer> finalsIn(String text) {
    List<Integer> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^SIP/2\\.0 (\\d{3}) ").matcher(text);
    while (m.find()) {
      int st = Integer.parseInt(m.group(1));
      if (st >= 200) {
        out.add(st);
      }
    }
    return out;
  }

  static Optional<Integer> status(String text) {
    Matcher m = Pattern.compile("^SIP/2\\.0 (\\d{3}) ").matcher(text);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** Branch (with the magic cookie), sent-by and method of a request: its server transaction. */
  static Optional<String> transactionKey(byte[] octets) {
    String text = new String(octets, StandardCharsets.ISO_8859_1);
    Matcher via = Pattern.compile("(?mi)^(?:via|v)[ \\t]*:[ \\t]*SIP/2\\.0/\\w+ +([^;\\s]+)[^\\r\\n]*branch=(z9hG4bK[^;,\\s]+)")
        .matcher(text);
    if (text.startsWith("SIP/") || !via.find()) {
      return Optional.empty();
    }
    return Optional.of(via.group(2).toLowerCase(java.util.Locale.ROOT) + "|" + via.group(1).toLowerCase(java.util.Locale.ROOT)
        + "|" + text.substring(0, text.indexOf(' ')));
  }

  static Optional<String> callIdOf(byte[] octets) {
    Matcher m = Pattern.compile("(?mi)^(?:Call-ID|i)[ \\t]*:[ \\t]*(\\S+)").matcher(
        new String(octets, StandardCharsets.ISO_8859_1));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
