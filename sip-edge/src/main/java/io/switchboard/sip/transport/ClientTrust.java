package io.switchboard.sip.transport;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which server certificates the edge accepts when it opens a TLS connection itself (to a trunk,
 * or to a phone whose connection is gone). The peer's certificate must chain to one of these
 * anchors and name the address dialled (hostname verification as for HTTPS, RFC 2818 §3.1; for an
 * IP address an iPAddress subjectAltName). RFC 5922 domain matching against the SIP domain is the
 * business of the layer that knows that domain.
 */
public sealed interface ClientTrust
    permits ClientTrust.JdkDefault, ClientTrust.PemBundle, ClientTrust.OwnCertificate {

  /** The JVM's default trust store (cacerts): public CAs. The production default. */
  record JdkDefault() implements ClientTrust {}

  /** Trust anchors from a PEM file of "CERTIFICATE" blocks (a private CA, a trunk's certificate). */
  record PemBundle(Path certificates) implements ClientTrust {
    public PemBundle {
      Objects.requireNonNull(certificates, "certificates");
    }
  }

  /**
   * Development only: trust exactly the edge's own certificate (typically the self-signed one of
   * {@link CertificateSource.SelfSigned}), so that two edges, or an edge and a test, talk TLS to
   * each other with no CA. Never use it against real peers: it trusts nothing else.
   */
  record OwnCertificate() implements ClientTrust {}
}
