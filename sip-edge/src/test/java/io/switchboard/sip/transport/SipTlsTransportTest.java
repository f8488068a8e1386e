package io.switchboard.sip.transport;

import static io.switchboard.sip.transport.SipTestSupport.asResponse;
import static io.switchboard.sip.transport.SipTestSupport.bytes;
import static io.switchboard.sip.transport.SipTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipParseResult;
import io.switchboard.sip.message.SipParser;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.transport.SipTestSupport.Received;
import io.switchboard.sip.transport.SipTestSupport.RecordingHandler;
import io.switchboard.sip.transport.SipTestSupport.StreamReader;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP over TLS with the generated certificate, as a client trusting it would see it. */
class SipTlsTransportTest {
  @TempDir
  Path dir;

  private final RecordingHandler handler = new RecordingHandler();

  @Test
  void aRequestAndItsResponseCrossTlsWithTheGeneratedCertificate() throws Exception {
    try (SipTransports transports = SipTransports.start(SipTestSupport.settings(dir), handler);
        SSLSocket socket = connectTrusting(dir.resolve(TlsCredentials.CERTIFICATE_FILE), transports.localAddress(Transport.TLS))) {
      StreamReader in = new StreamReader(socket);
      socket.getOutputStream().write(bytes(options("tls-1", "t1")));
      Received r = handler.next();
      assertEquals(Transport.TLS, r.flow().transport());
      assertEquals(socket.getLocalSocketAddress(), r.flow().remote());
      SipRequest options = (SipRequest) r.message();
      transports.send(SipMessages.response(options, 200), SipTransports.responseFlow(options, r.flow()))
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(200, asResponse(in.next()).status());
      // RFC 5626 §4.4.1 keep-alives work over TLS too.
      socket.getOutputStream().write(bytes("\r\n\r\n"));
      assertArrayEquals(bytes("\r\n"), in.raw(2));
    }
  }

  @Test
  void theGeneratedCertificateIsPrivateAndReusedAtTheSecondStart() throws Exception {
    Path certificateFile = dir.resolve(TlsCredentials.CERTIFICATE_FILE);
    Path keyFile = dir.resolve(TlsCredentials.PRIVATE_KEY_FILE);
    Certificate first;
    try (SipTransports transports = SipTransports.start(SipTestSupport.settings(dir), handler);
        SSLSocket socket = connectTrusting(certificateFile, transports.localAddress(Transport.TLS))) {
      first = socket.getSession().getPeerCertificates()[0];
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certificateFile)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    byte[] keyBefore = Files.readAllBytes(keyFile);

    try (SipTransports transports = SipTransports.start(SipTestSupport.settings(dir), handler);
        SSLSocket socket = connectTrusting(certificateFile, transports.localAddress(Transport.TLS))) {
      assertEquals(first, socket.getSession().getPeerCertificates()[0]);
      socket.getOutputStream().write(bytes(options("tls-second-start", "t2")));
      assertEquals("tls-second-start", SipMessages.callId(handler.next().message()));
    }
    assertArrayEquals(keyBefore, Files.readAllBytes(keyFile));
  }

  @Test
  void theEdgeDialsTlsToAPeerItTrusts() throws Exception {
    // Both edges use the same development certificate and ClientTrust.OwnCertificate.
    RecordingHandler otherHandler = new RecordingHandler();
    try (SipTransports transports = SipTransports.start(SipTestSupport.settings(dir), handler);
        SipTransports other = SipTransports.start(SipTestSupport.settings(dir), otherHandler)) {
      SipRequest options = (SipRequest) parse(options("tls-dial", "t3"));
      transports.send(options, transports.flowTo(Transport.TLS, other.localAddress(Transport.TLS)))
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      Received atOther = otherHandler.next();
      assertEquals(Transport.TLS, atOther.flow().transport());
      other.send(SipMessages.response((SipRequest) atOther.message(), 200),
          SipTransports.responseFlow((SipRequest) atOther.message(), atOther.flow())).toCompletableFuture().get(5, TimeUnit.SECONDS);
      Received answer = handler.next();
      assertEquals(200, asResponse(answer.message()).status());
      assertEquals(Transport.TLS, answer.flow().transport());
    }
  }

  @Test
  void aServerOutsideTheClientTrustFailsTheSend() throws Exception {
    RecordingHandler otherHandler = new RecordingHandler();
    TransportSettings strict = SipTestSupport.settings(dir.resolve("strict")).withClientTrust(new ClientTrust.JdkDefault());
    try (SipTransports transports = SipTransports.start(strict, handler);
        SipTransports selfSigned = SipTransports.start(SipTestSupport.settings(dir.resolve("other")), otherHandler)) {
      InetSocketAddress target = selfSigned.localAddress(Transport.TLS);
      CompletionException e = assertThrows(CompletionException.class, () -> transports
          .send(parse(options("tls-untrusted", "t4")), transports.flowTo(Transport.TLS, target))
          .toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join());
      assertInstanceOf(SipSendException.class, e.getCause(), e.toString());
      otherHandler.expectNothing(java.time.Duration.ofMillis(200));
    }
  }

  /** A TLS client that trusts only the PEM certificate in {@code pem} and verifies the host name. */
  static SSLSocket connectTrusting(Path pem, InetSocketAddress address) throws Exception {
    SSLContext context = trusting(pem);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress().getHostAddress(), address.getPort());
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS"); // checks the 127.0.0.1 subjectAltName
    socket.setSSLParameters(parameters);
    socket.setSoTimeout((int) SipTestSupport.WAIT.toMillis());
    socket.startHandshake();
    return socket;
  }

  static SSLContext trusting(Path pem) throws Exception {
    X509Certificate certificate;
    try (InputStream in = Files.newInputStream(pem)) {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("switchboard", certificate);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static io.switchboard.sip.message.SipMessage parse(String text) {
    return ((SipParseResult.Parsed) SipParser.parse(bytes(text))).message();
  }

  @Test
  void theTestClientReallyChecksTheCertificate() throws Exception {
    // Guard against a vacuous TLS test: a client trusting another certificate must fail.
    TlsCredentials unrelated = TlsCredentials.selfSigned(dir.resolve("unrelated"));
    try (SipTransports transports = SipTransports.start(SipTestSupport.settings(dir), handler)) {
      assertTrue(Files.exists(dir.resolve("unrelated").resolve(TlsCredentials.CERTIFICATE_FILE)));
      assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> connectTrusting(
          dir.resolve("unrelated").resolve(TlsCredentials.CERTIFICATE_FILE), transports.localAddress(Transport.TLS)).close());
      assertTrue(unrelated.certificate().getSubjectX500Principal().getName().contains("switchboard"));
    }
  }
}
