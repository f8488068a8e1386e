package io.switchboard.sip.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where and how the SIP transports listen. Every value is checked here, so a bad one fails at
 * start with a message naming it, not later on the first packet.
 *
 * <p>Port 0 means "any free port" (tests); the actual ports are {@link
 * SipTransports#localAddress}. UDP and TCP always share {@code udpTcpPort}, as RFC 3261 §18
 * expects of a SIP element. TLS is always on; WS and WSS are off when their port is empty.
 *
 * @param bindHost                interface to bind (an address literal or a name resolved once at start)
 * @param udpTcpPort              UDP and TCP port, 5060 by default (RFC 3261 §18.1.1)
 * @param tlsPort                 SIP over TLS, 5061 by default (RFC 3261 §26.2.1)
 * @param wsPort                  SIP over plain WebSocket (RFC 7118), empty = disabled
 * @param wssPort                 SIP over secure WebSocket (RFC 7118), empty = disabled
 * @param certificates            the certificate TLS and WSS present
 * @param clientTrust             the certificates accepted when the edge dials TLS itself
 * @param maxConnections          open TCP, TLS, WS and WSS connections (accepted and dialled) at most
 * @param idleTimeout             a connection without any traffic for this long is closed
 * @param udpReceiveBufferBytes   SO_RCVBUF of the UDP socket (the kernel may cap it at net.core.rmem_max)
 */
public record TransportSettings(
    String bindHost,
    int udpTcpPort,
    int tlsPort,
    OptionalInt wsPort,
    OptionalInt wssPort,
    CertificateSource certificates,
    ClientTrust clientTrust,
    int maxConnections,
    Duration idleTimeout,
    int udpReceiveBufferBytes) {

  /** SIP over UDP and TCP (RFC 3261 §18.1.1, §19.1.2). */
  public static final int DEFAULT_UDP_TCP_PORT = 5060;

  /** SIP over TLS (RFC 3261 §19.1.2). */
  public static final int DEFAULT_TLS_PORT = 5061;

  /** A customary SIP-over-WebSocket port; RFC 7118 assigns none (WS is not on by default). */
  public static final int CUSTOMARY_WS_PORT = 5066;

  /** A customary SIP-over-secure-WebSocket port; RFC 7118 assigns none (WSS is not on by default). */
  public static final int CUSTOMARY_WSS_PORT = 5067;

  /** Default bound on open connections: a phone keeps one, so this is about 10 000 TCP/TLS phones. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  /** Highest accepted {@code maxConnections}; beyond it file descriptors run out long before. */
  public static final int MAX_CONNECTIONS_LIMIT = 1_000_000;

  /**
   * Default idle timeout. Phones refresh registrations (typically every 60-3600 s) and send
   * RFC 5626 keep-alives (CRLFCRLF, every 95-120 s, §4.4.1), so a connection silent for 10 min is
   * dead or abandoned.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** Longest accepted idle timeout. */
  public static final Duration MAX_IDLE_TIMEOUT = Duration.ofDays(1);

  /**
   * Default UDP receive buffer: 4 MiB absorbs a burst of ~4000 1-KiB requests while the event
   * loop is busy, which sipp at 1000+ calls/s produces. The kernel caps it at net.core.rmem_max.
   */
  public static final int DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

  /** Smallest accepted UDP receive buffer: one maximum-size datagram. */
  public static final int MIN_UDP_RECEIVE_BUFFER_BYTES = 64 * 1024;

  /** Largest accepted UDP receive buffer. */
  public static final int MAX_UDP_RECEIVE_BUFFER_BYTES = 256 * 1024 * 1024;

  public TransportSettings {
    List<String> problems = new ArrayList<>();
    if (bindHost == null || bindHost.isBlank()) {
      problems.add("bindHost must not be empty");
    }
    checkPort(problems, "udpTcpPort", udpTcpPort);
    checkPort(problems, "tlsPort", tlsPort);
    Objects.requireNonNull(wsPort, "wsPort (use OptionalInt.empty() to disable WS)");
    Objects.requireNonNull(wssPort, "wssPort (use OptionalInt.empty() to disable WSS)");
    wsPort.ifPresent(p -> checkPort(problems, "wsPort", p));
    wssPort.ifPresent(p -> checkPort(problems, "wssPort", p));
    // Every listener but UDP is a TCP socket, so they need distinct ports (0 = pick any).
    int[] tcpPorts = {udpTcpPort, tlsPort, wsPort.orElse(0), wssPort.orElse(0)};
    String[] names = {"udpTcpPort", "tlsPort", "wsPort", "wssPort"};
    for (int i = 0; i < tcpPorts.length; i++) {
      for (int j = i + 1; j < tcpPorts.length; j++) {
        if (tcpPorts[i] != 0 && tcpPorts[i] == tcpPorts[j]) {
          problems.add(names[i] + " and " + names[j] + " are both " + tcpPorts[i] + "; they must differ");
        }
      }
    }
    if (certificates == null) {
      problems.add("certificates must be set (PemFiles or SelfSigned)");
    }
    if (clientTrust == null) {
      problems.add("clientTrust must be set (JdkDefault, PemBundle or OwnCertificate)");
    }
    if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_LIMIT) {
      problems.add("maxConnections is " + maxConnections + "; it must be 1.." + MAX_CONNECTIONS_LIMIT);
    }
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()
        || idleTimeout.compareTo(MAX_IDLE_TIMEOUT) > 0) {
      problems.add("idleTimeout is " + idleTimeout + "; it must be positive and at most " + MAX_IDLE_TIMEOUT);
    }
    if (udpReceiveBufferBytes < MIN_UDP_RECEIVE_BUFFER_BYTES || udpReceiveBufferBytes > MAX_UDP_RECEIVE_BUFFER_BYTES) {
      problems.add("udpReceiveBufferBytes is " + udpReceiveBufferBytes + "; it must be "
          + MIN_UDP_RECEIVE_BUFFER_BYTES + ".." + MAX_UDP_RECEIVE_BUFFER_BYTES);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid SIP transport settings: " + String.join("; ", problems));
    }
  }

  /**
   * The defaults: UDP/TCP 5060 and TLS 5061 on {@code bindHost}, WS and WSS off, a self-signed
   * certificate kept in {@code dataDirectory}, client TLS trusting the JDK's CAs.
   */
  public static TransportSettings defaults(String bindHost, Path dataDirectory) {
    return new TransportSettings(bindHost, DEFAULT_UDP_TCP_PORT, DEFAULT_TLS_PORT, OptionalInt.empty(),
        OptionalInt.empty(), new CertificateSource.SelfSigned(dataDirectory), new ClientTrust.JdkDefault(),
        DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT, DEFAULT_UDP_RECEIVE_BUFFER_BYTES);
  }

  public TransportSettings withPorts(int newUdpTcpPort, int newTlsPort, OptionalInt newWsPort, OptionalInt newWssPort) {
    return new TransportSettings(bindHost, newUdpTcpPort, newTlsPort, newWsPort, newWssPort, certificates,
        clientTrust, maxConnections, idleTimeout, udpReceiveBufferBytes);
  }

  public TransportSettings withCertificates(CertificateSource newCertificates) {
    return new TransportSettings(bindHost, udpTcpPort, tlsPort, wsPort, wssPort, newCertificates,
        clientTrust, maxConnections, idleTimeout, udpReceiveBufferBytes);
  }

  public TransportSettings withClientTrust(ClientTrust newClientTrust) {
    return new TransportSettings(bindHost, udpTcpPort, tlsPort, wsPort, wssPort, certificates,
        newClientTrust, maxConnections, idleTimeout, udpReceiveBufferBytes);
  }

  public TransportSettings withMaxConnections(int newMaxConnections) {
    return new TransportSettings(bindHost, udpTcpPort, tlsPort, wsPort, wssPort, certificates,
        clientTrust, newMaxConnections, idleTimeout, udpReceiveBufferBytes);
  }

  public TransportSettings withIdleTimeout(Duration newIdleTimeout) {
    return new TransportSettings(bindHost, udpTcpPort, tlsPort, wsPort, wssPort, certificates,
        clientTrust, maxConnections, newIdleTimeout, udpReceiveBufferBytes);
  }

  public TransportSettings withUdpReceiveBufferBytes(int bytes) {
    return new TransportSettings(bindHost, udpTcpPort, tlsPort, wsPort, wssPort, certificates,
        clientTrust, maxConnections, idleTimeout, bytes);
  }

  private static void checkPort(List<String> problems, String name, int port) {
    if (port < 0 || port > 65535) {
      problems.add(name + " is " + port + "; it must be 0..65535 (0 = any free port)");
    }
  }
}
