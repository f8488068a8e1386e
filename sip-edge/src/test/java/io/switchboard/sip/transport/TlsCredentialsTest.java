package io.switchboard.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCredentialsTest {
  @TempDir
  Path dir;

  @Test
  void theGeneratedCertificateNamesTheLoopbackAndLastsAYear() throws Exception {
    TlsCredentials credentials = TlsCredentials.selfSigned(dir);
    X509Certificate c = credentials.certificate();
    assertEquals("CN=switchboard", c.getSubjectX500Principal().getName());
    assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal(), "self-signed");
    c.verify(c.getPublicKey());
    assertEquals("EC", c.getPublicKey().getAlgorithm());
    Set<String> names = c.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).collect(Collectors.toSet());
    assertEquals(Set.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), names);
    Duration validity = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
    assertTrue(validity.compareTo(Duration.ofDays(365)) >= 0 && validity.compareTo(Duration.ofDays(366)) < 0, validity.toString());
    assertTrue(c.getNotBefore().toInstant().isBefore(Instant.now()));
    assertTrue(c.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
  }

  @Test
  void theFilesAreOwnerOnlyAndReused() throws Exception {
    TlsCredentials first = TlsCredentials.selfSigned(dir.resolve("data"));
    for (String file : List.of(TlsCredentials.CERTIFICATE_FILE, TlsCredentials.PRIVATE_KEY_FILE)) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data").resolve(file))));
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
    assertTrue(Files.readString(dir.resolve("data").resolve(TlsCredentials.PRIVATE_KEY_FILE)).startsWith("-----BEGIN PRIVATE KEY-----"),
        "PKCS#8");
    TlsCredentials second = TlsCredentials.selfSigned(dir.resolve("data"));
    assertEquals(first.certificate(), second.certificate());
    assertEquals(first.privateKey(), second.privateKey());
    try (var files = Files.list(dir.resolve("data"))) {
      assertEquals(2, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void aHalfWrittenPairIsReplaced() throws Exception {
    TlsCredentials first = TlsCredentials.selfSigned(dir);
    Files.delete(dir.resolve(TlsCredentials.PRIVATE_KEY_FILE));
    TlsCredentials second = TlsCredentials.selfSigned(dir);
    assertNotEquals(first.certificate(), second.certificate());
    assertEquals(second.certificate(), TlsCredentials.load(new CertificateSource.SelfSigned(dir)).certificate());
  }

  @Test
  void configuredPemFilesAreLoaded() {
    TlsCredentials generated = TlsCredentials.selfSigned(dir);
    TlsCredentials loaded = TlsCredentials.load(new CertificateSource.PemFiles(
        dir.resolve(TlsCredentials.CERTIFICATE_FILE), dir.resolve(TlsCredentials.PRIVATE_KEY_FILE)));
    assertEquals(generated.chain(), loaded.chain());
    loaded.serverContext();
    loaded.clientContext(new ClientTrust.PemBundle(dir.resolve(TlsCredentials.CERTIFICATE_FILE)));
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    TlsCredentials.selfSigned(dir.resolve("a"));
    TlsCredentials.selfSigned(dir.resolve("b"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsCredentials.fromPem(
        dir.resolve("a").resolve(TlsCredentials.CERTIFICATE_FILE), dir.resolve("b").resolve(TlsCredentials.PRIVATE_KEY_FILE)));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
  }

  @Test
  void missingOrEmptyFilesAreNamed() throws Exception {
    Path missing = dir.resolve("nope.pem");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> TlsCredentials.fromPem(missing, missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    IllegalArgumentException noCert = assertThrows(IllegalArgumentException.class, () -> TlsCredentials.fromPem(empty, empty));
    assertTrue(noCert.getMessage().contains("no CERTIFICATE in " + empty), noCert.getMessage());
  }
}
