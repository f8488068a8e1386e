package io.switchboard.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestAlgorithmTest {

  @Test
  void wireNamesParseCaseInsensitivelyAndNothingElseDoes() {
    assertEquals(Optional.of(DigestAlgorithm.MD5), DigestAlgorithm.parse("MD5"));
    assertEquals(Optional.of(DigestAlgorithm.MD5), DigestAlgorithm.parse("md5"));
    assertEquals(Optional.of(DigestAlgorithm.SHA_256), DigestAlgorithm.parse("SHA-256"));
    assertEquals(Optional.of(DigestAlgorithm.SHA_256), DigestAlgorithm.parse("sha-256"));
    assertEquals(Optional.empty(), DigestAlgorithm.parse("SHA_256"));
    assertEquals(Optional.empty(), DigestAlgorithm.parse("MD5-sess"));
    assertEquals(Optional.empty(), DigestAlgorithm.parse("SHA-512-256"));
    assertEquals(Optional.empty(), DigestAlgorithm.parse(""));
    assertEquals(Optional.empty(), DigestAlgorithm.parse(null));
    assertEquals("MD5", DigestAlgorithm.MD5.wireName());
    assertEquals("SHA-256", DigestAlgorithm.SHA_256.wireName());
  }

  @Test
  void hashesAreLowerCaseHexOfTheKnownValues() {
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", DigestAlgorithm.MD5.hash(""));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", DigestAlgorithm.SHA_256.hash(""));
    assertEquals("900150983cd24fb0d6963f7d28e17f72", DigestAlgorithm.MD5.hash("abc"));
    assertEquals(32, DigestAlgorithm.MD5.hexLength());
    assertEquals(64, DigestAlgorithm.SHA_256.hexLength());
    // The String form hashes UTF-8, as the provisioning side does for HA1.
    assertEquals(DigestAlgorithm.MD5.hash("ü".getBytes(StandardCharsets.UTF_8)), DigestAlgorithm.MD5.hash("ü"));
  }

  @Test
  void hexCheckIsAsciiOnly() {
    assertTrue(DigestAlgorithm.MD5.isHex("0123456789abcdefABCDEF0123456789"));
    assertFalse(DigestAlgorithm.MD5.isHex("0123456789abcdefABCDEF012345678"));
    assertFalse(DigestAlgorithm.MD5.isHex("0123456789abcdefABCDEF012345678g"));
    // U+0663 ARABIC-INDIC DIGIT THREE is a digit to Character.digit, not to us.
    assertFalse(DigestAlgorithm.MD5.isHex("0123456789abcdefABCDEF012345678\u0663"));
  }
}
