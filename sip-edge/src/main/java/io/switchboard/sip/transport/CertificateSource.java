package io.switchboard.sip.transport;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the TLS and WSS listeners get their certificate and private key (RFC 3261 §26.2.1: a
 * server presents a certificate; RFC 5922 for what it should name). See {@link TlsCredentials}.
 */
public sealed interface CertificateSource permits CertificateSource.PemFiles, CertificateSource.SelfSigned {

  /**
   * A configured certificate: {@code certificateChain} holds the server certificate first, then
   * any intermediates (PEM "CERTIFICATE" blocks); {@code privateKey} the unencrypted key (PEM
   * "PRIVATE KEY", PKCS#8; the traditional "EC/RSA PRIVATE KEY" forms are read as well).
   */
  record PemFiles(Path certificateChain, Path privateKey) implements CertificateSource {
    public PemFiles {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }

  /**
   * Development and first start: a self-signed certificate is generated into {@code
   * dataDirectory} (files readable by the owner only) on the first start and reused afterwards,
   * so that phones which pinned it keep working across restarts.
   */
  record SelfSigned(Path dataDirectory) implements CertificateSource {
    public SelfSigned {
      Objects.requireNonNull(dataDirectory, "dataDirectory");
    }
  }
}
