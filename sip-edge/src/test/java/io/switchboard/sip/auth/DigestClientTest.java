package io.switchboard.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestClientTest {

  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String REALM = "acme.test";

  @Test
  void reproducesTheRfc7616Examples() {
    for (DigestAlgorithm alg : DigestAlgorithm.values()) {
      DigestChallenge c = new DigestChallenge(DigestVerifierTest.RFC7616_REALM, DigestVerifierTest.RFC7616_NONCE,
          Optional.of(DigestVerifierTest.RFC7616_OPAQUE), alg, List.of("auth", "auth-int"), false);
      String value = DigestClient.authorization(c, "GET", "/dir/index.html", "Mufasa",
          DigestVerifierTest.RFC7616_PASSWORD, DigestVerifierTest.RFC7616_CNONCE, 1);
      DigestAuthorization ours = DigestAuthorization.parse(value).orElseThrow();
      DigestAuthorization rfc = DigestAuthorization.parse(
          alg == DigestAlgorithm.MD5 ? DigestVerifierTest.RFC7616_MD5 : DigestVerifierTest.RFC7616_SHA256).orElseThrow();
      assertEquals(rfc, ours, value);
    }
  }

  @Test
  void headerValueHasTheDocumentedShape() {
    DigestChallenge c = DigestChallenge.of(REALM, "n1", Optional.of("op"), DigestAlgorithm.MD5, false);
    String value = DigestClient.authorization(c, "REGISTER", "sip:acme.test", "alice", "secret", "c0ffee", 10);
    String response = DigestAuthorization.parse(value).orElseThrow().response();
    assertEquals("Digest username=\"alice\", realm=\"acme.test\", nonce=\"n1\", uri=\"sip:acme.test\", response=\""
        + response + "\", algorithm=MD5, cnonce=\"c0ffee\", qop=auth, nc=0000000a, opaque=\"op\"", value);
  }

  @Test
  void withoutQopTheRfc2069FormIsSent() {
    DigestChallenge c = new DigestChallenge("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        Optional.of("5ccc069c403ebaf9f0171e9517f40e41"), DigestAlgorithm.MD5, List.of(), false);
    String value = DigestClient.authorization(c, "GET", "/dir/index.html", "Mufasa", "CircleOfLife", "ignored", 1);
    DigestAuthorization h = DigestAuthorization.parse(value).orElseThrow();
    assertEquals("1949323746fe6a43ef61f9606e7febea", h.response()); // RFC 2069 §2.4
    assertEquals(Optional.empty(), h.qop());
    assertEquals(Optional.empty(), h.cnonce());
    assertEquals(Optional.empty(), h.nc());
    assertFalse(value.contains("cnonce") || value.contains("qop") || value.contains("nc="));
  }

  @Test
  void challengeAuthorizeVerifyRoundTripForBothAlgorithms() {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    NonceService nonces = new NonceService(SECRET, clock);
    String password = "correct horse";
    // What the directory holds for alice (DigestCredentials): HA1 only, never the password.
    String ha1Md5 = DigestAlgorithm.MD5.hash("alice:" + REALM + ":" + password);
    String ha1Sha256 = DigestAlgorithm.SHA_256.hash("alice:" + REALM + ":" + password);
    for (DigestAlgorithm alg : DigestAlgorithm.values()) {
      // server: 401 with a challenge
      DigestChallenge sent = DigestChallenge.of(REALM, nonces.issue(REALM), Optional.of("o"), alg, false);
      // client: reads it, answers
      DigestChallenge received = DigestChallenge.parse(sent.toHeaderValue()).orElseThrow();
      String cnonce = DigestClient.newCnonce();
      String value = DigestClient.authorization(received, "REGISTER", "sip:acme.test", "alice", password, cnonce, 1);
      // server: checks it
      DigestAuthorization h = DigestAuthorization.parse(value).orElseThrow();
      assertEquals(alg, h.algorithm());
      assertEquals(NonceStatus.VALID, nonces.check(h.nonce(), REALM));
      String ha1 = h.algorithm() == DigestAlgorithm.MD5 ? ha1Md5 : ha1Sha256;
      assertTrue(DigestVerifier.verify(h, "REGISTER", ha1, h.algorithm()));
      assertTrue(nonces.acceptNonceCount(h.nonce(), h.cnonce().orElseThrow(), h.nonceCount().orElseThrow()));
      // the same request again is a replay
      assertFalse(nonces.acceptNonceCount(h.nonce(), h.cnonce().orElseThrow(), h.nonceCount().orElseThrow()));
      // a wrong password does not verify; nor does another method
      DigestAuthorization wrong = DigestAuthorization.parse(
          DigestClient.authorization(received, "REGISTER", "sip:acme.test", "alice", "wrong", cnonce, 2)).orElseThrow();
      assertFalse(DigestVerifier.verify(wrong, "REGISTER", ha1, alg));
      assertFalse(DigestVerifier.verify(h, "INVITE", ha1, alg));
      // the next request with the same nonce, nc=2
      DigestAuthorization next = DigestAuthorization.parse(
          DigestClient.authorization(received, "INVITE", "sip:bob@acme.test", "alice", password, cnonce, 2))
          .orElseThrow();
      assertTrue(DigestVerifier.verify(next, "INVITE", ha1, alg));
      assertTrue(nonces.acceptNonceCount(next.nonce(), next.cnonce().orElseThrow(), next.nonceCount().orElseThrow()));
      // after the lifetime: stale, and the re-challenge says so
      clock.advance(NonceService.DEFAULT_LIFETIME.plus(Duration.ofSeconds(1)));
      assertEquals(NonceStatus.STALE, nonces.check(h.nonce(), REALM));
      DigestChallenge again = DigestChallenge.of(REALM, nonces.issue(REALM), Optional.of("o"), alg, true);
      assertTrue(again.toHeaderValue().endsWith(", stale=true"));
    }
  }

  @Test
  void ha1FromConfigurationGivesTheSameHeader() {
    DigestChallenge c = DigestChallenge.of(REALM, "n", Optional.empty(), DigestAlgorithm.SHA_256, false);
    assertEquals(DigestClient.authorization(c, "INVITE", "sip:x@acme.test", "alice", "pw", "cn", 3),
        DigestClient.authorizationWithHa1(c, "INVITE", "sip:x@acme.test", "alice",
            DigestClient.ha1(DigestAlgorithm.SHA_256, "alice", REALM, "pw"), "cn", 3));
  }

  @Test
  void refusesWhatItCannotAnswerCorrectly() {
    DigestChallenge authIntOnly = new DigestChallenge(REALM, "n", Optional.empty(), DigestAlgorithm.MD5,
        List.of("auth-int"), false);
    assertThrows(IllegalArgumentException.class,
        () -> DigestClient.authorization(authIntOnly, "INVITE", "sip:x@acme.test", "alice", "pw", "cn", 1));
    DigestChallenge c = DigestChallenge.of(REALM, "n", Optional.empty(), DigestAlgorithm.MD5, false);
    assertThrows(IllegalArgumentException.class,
        () -> DigestClient.authorization(c, "INVITE", "sip:x@acme.test", "alice", "pw", "cn", 0));
    assertThrows(IllegalArgumentException.class,
        () -> DigestClient.authorization(c, "INVITE", "sip:x@acme.test", "alice", "pw", "cn", 0x1_0000_0000L));
    assertThrows(IllegalArgumentException.class,
        () -> DigestClient.authorization(c, "INVITE", "sip:x@acme.test", "alice", "pw", "", 1));
    assertThrows(IllegalArgumentException.class,
        () -> DigestClient.authorization(c, "INVITE", "sip:x@acme.test", "ali\r\nce", "pw", "cn", 1));
    assertThrows(IllegalArgumentException.class,
        () -> DigestClient.authorizationWithHa1(c, "INVITE", "sip:x@acme.test", "alice", "not-hex", "cn", 1));
  }

  @Test
  void cnoncesAreFreshHex() {
    String a = DigestClient.newCnonce();
    assertEquals(32, a.length());
    assertTrue(a.matches("[0-9a-f]{32}"));
    assertNotEquals(a, DigestClient.newCnonce());
  }
}
