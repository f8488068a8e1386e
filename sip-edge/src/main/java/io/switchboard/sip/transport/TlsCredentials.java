package io.switchboard.sip.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate and private key the TLS and WSS listeners present, and the Netty {@link
 * SslContext}s built from them.
 *
 * <p>Either read from configured PEM files, or (development, first start) a self-signed EC P-256
 * certificate generated with Bouncy Castle: CN=switchboard, subjectAltName localhost, 127.0.0.1
 * and ::1, valid {@link #SELF_SIGNED_VALIDITY}. It is written to the data directory as {@link
 * #CERTIFICATE_FILE} and {@link #PRIVATE_KEY_FILE}, readable by the owner only, and reused at the
 * next start until it is about to expire, so phones that accepted it once keep accepting it.
 */
public final class TlsCredentials {
  private static final Logger log = LoggerFactory.getLogger(TlsCredentials.class);

  /** The generated certificate's file name in the data directory (PEM). */
  public static final String CERTIFICATE_FILE = "sip-tls-certificate.pem";

  /** The generated private key's file name in the data directory (PEM, PKCS#8, unencrypted). */
  public static final String PRIVATE_KEY_FILE = "sip-tls-private-key.pem";

  /** Subject common name of the generated certificate. */
  public static final String COMMON_NAME = "switchboard";

  /** How long a generated certificate is valid. */
  public static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(365);

  /** A generated certificate this close to expiry is replaced at start rather than reused. */
  public static final Duration RENEW_BEFORE_EXPIRY = Duration.ofDays(7);

  /** TLS versions we speak: RFC 8996 retired 1.0 and 1.1. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;

  private TlsCredentials(PrivateKey privateKey, List<X509Certificate> chain) {
    this.privateKey = privateKey;
    this.chain = List.copyOf(chain);
  }

  /** Reads or generates the credentials {@code source} names. Fails with the file at fault. */
  public static TlsCredentials load(CertificateSource source) {
    Objects.requireNonNull(source, "source");
    if (source instanceof CertificateSource.PemFiles files) {
      return fromPem(files.certificateChain(), files.privateKey());
    }
    return selfSigned(((CertificateSource.SelfSigned) source).dataDirectory());
  }

  /** A certificate chain (server certificate first) and its private key from PEM files. */
  public static TlsCredentials fromPem(Path certificateChain, Path privateKey) {
    List<X509Certificate> chain = readCertificates(certificateChain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no CERTIFICATE in " + certificateChain);
    }
    PrivateKey key = readPrivateKey(privateKey);
    if (!matches(key, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException("the private key in " + privateKey
          + " does not belong to the first certificate in " + certificateChain);
    }
    return new TlsCredentials(key, chain);
  }

  /**
   * The self-signed credentials kept in {@code dataDirectory}: reused when both files are there
   * and the certificate is not about to expire, generated (and written) otherwise.
   */
  public static TlsCredentials selfSigned(Path dataDirectory) {
    Path certificate = dataDirectory.resolve(CERTIFICATE_FILE);
    Path key = dataDirectory.resolve(PRIVATE_KEY_FILE);
    if (Files.exists(certificate) && Files.exists(key)) {
      TlsCredentials existing = fromPem(certificate, key);
      Instant renewAt = existing.certificate().getNotAfter().toInstant().minus(RENEW_BEFORE_EXPIRY);
      if (Instant.now().isBefore(renewAt)) {
        log.debug("Reusing the self-signed SIP TLS certificate in {}", certificate);
        return existing;
      }
      log.warn("The self-signed SIP TLS certificate in {} expires {}; generating a new one",
          certificate, existing.certificate().getNotAfter().toInstant());
    } else if (Files.exists(certificate) || Files.exists(key)) {
      log.warn("Only one of {} and {} exists; generating a new self-signed SIP TLS certificate", certificate, key);
    }
    TlsCredentials generated = generate();
    try {
      createPrivateDirectory(dataDirectory);
      // Key first: a certificate file without its key would be read back as a broken pair.
      writePrivately(key, generated.privateKeyPem());
      writePrivately(certificate, generated.certificatePem());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the self-signed SIP TLS certificate to " + dataDirectory, e);
    }
    log.info("Generated a self-signed SIP TLS certificate (CN={}, valid until {}) in {}",
        COMMON_NAME, generated.certificate().getNotAfter().toInstant(), certificate);
    return generated;
  }

  /** A fresh EC P-256 key and a self-signed certificate for it; nothing is written. */
  static TlsCredentials generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=" + COMMON_NAME);
      // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 64 random bits.
      BigInteger serial = new BigInteger(64, new SecureRandom()).setBit(63);
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SELF_SIGNED_VALIDITY)), name, pair.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
          new GeneralName(GeneralName.iPAddress, "::1")}));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      // Server for phones and WebSocket clients; client when the edge dials a trunk that asks.
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
      X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
      return new TlsCredentials(pair.getPrivate(), List.of(certificate));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot generate a self-signed SIP TLS certificate", e);
    }
  }

  /** The certificate presented to peers (the first of the chain). */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The chain presented to peers, server certificate first. */
  public List<X509Certificate> chain() {
    return chain;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  /** The context for the TLS and WSS listeners: TLS 1.2/1.3, no client certificate asked for. */
  public SslContext serverContext() {
    try {
      return SslContextBuilder.forServer(privateKey, chain).protocols(PROTOCOLS).clientAuth(ClientAuth.NONE).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the SIP TLS server context", e);
    }
  }

  /**
   * The context for connections the edge opens: it verifies the server against {@code trust}
   * (chain and hostname, see {@link ClientTrust}) and presents this certificate if the server asks.
   */
  public SslContext clientContext(ClientTrust trust) {
    SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS).keyManager(privateKey, chain)
        .endpointIdentificationAlgorithm("HTTPS");
    if (trust instanceof ClientTrust.PemBundle bundle) {
      List<X509Certificate> anchors = readCertificates(bundle.certificates());
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("no CERTIFICATE in the client trust bundle " + bundle.certificates());
      }
      builder.trustManager(anchors);
    } else if (trust instanceof ClientTrust.OwnCertificate) {
      builder.trustManager(certificate());
    }
    // ClientTrust.JdkDefault: no trust manager given means the JVM's default trust store.
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the SIP TLS client context", e);
    }
  }

  String certificatePem() {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (X509Certificate c : chain) {
        pem.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private String privateKeyPem() {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(new JcaPKCS8Generator(privateKey, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static List<X509Certificate> readCertificates(Path file) {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
      Object o;
      while ((o = pem.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("certificate file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("bad certificate in " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static PrivateKey readPrivateKey(Path file) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
      Object o;
      while ((o = pem.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new IllegalArgumentException("the private key in " + file + " is encrypted; configure an unencrypted PKCS#8 key");
        }
      }
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("private key file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the private key from " + file + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no PRIVATE KEY in " + file);
  }

  /** Signs a probe with the key and verifies it with the certificate's public key. */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    Optional<String> algorithm = switch (key.getAlgorithm()) {
      case "EC" -> Optional.of("SHA256withECDSA");
      case "RSA" -> Optional.of("SHA256withRSA");
      case "Ed25519", "EdDSA" -> Optional.of("Ed25519");
      default -> Optional.empty();
    };
    if (algorithm.isEmpty() || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      // Unknown key types are left to the TLS handshake to reject.
      return algorithm.isEmpty();
    }
    try {
      byte[] probe = "switchboard key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm.get());
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm.get());
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void createPrivateDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    if (posix(directory.toAbsolutePath().getParent())) {
      try {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        return;
      } catch (FileAlreadyExistsException e) {
        return;
      }
    }
    Files.createDirectories(directory);
  }

  /**
   * Writes {@code text} to {@code target} through a temporary file created rw------- (so the key
   * is never readable by others, not even for a moment) and an atomic rename.
   */
  private static void writePrivately(Path target, String text) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    FileAttribute<?>[] attributes = posix(directory)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
        : new FileAttribute<?>[0];
    Path temporary = Files.createTempFile(directory, ".sip-tls-", ".tmp", attributes);
    try {
      try (Writer w = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
        w.write(text);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static boolean posix(Path directory) {
    Path existing = directory;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
