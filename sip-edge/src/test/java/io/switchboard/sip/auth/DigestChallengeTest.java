package io.switchboard.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestChallengeTest {

  @Test
  void headerValueHasTheDocumentedShape() {
    DigestChallenge c = DigestChallenge.of("acme.test", "abc", Optional.of("op"), DigestAlgorithm.SHA_256, true);
    assertEquals("Digest realm=\"acme.test\", nonce=\"abc\", opaque=\"op\", algorithm=SHA-256, qop=\"auth\", stale=true",
        c.toHeaderValue());
    DigestChallenge plain = DigestChallenge.of("acme.test", "abc", Optional.empty(), DigestAlgorithm.MD5, false);
    assertEquals("Digest realm=\"acme.test\", nonce=\"abc\", algorithm=MD5, qop=\"auth\"", plain.toHeaderValue());
  }

  @Test
  void ownChallengesParseBackUnchanged() {
    for (DigestAlgorithm alg : DigestAlgorithm.values()) {
      for (boolean stale : new boolean[] {false, true}) {
        DigestChallenge c = DigestChallenge.of("we \"quote\" \\ this", "n0nce", Optional.of("o"), alg, stale);
        assertEquals(Optional.of(c), DigestChallenge.parse(c.toHeaderValue()));
      }
    }
  }

  @Test
  void readsTheRfc7616Challenge() {
    // RFC 7616 §3.9.1, unfolded
    DigestChallenge c = DigestChallenge.parse("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
        + "algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
        + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"").orElseThrow();
    assertEquals("http-auth@example.org", c.realm());
    assertEquals(DigestAlgorithm.SHA_256, c.algorithm());
    assertEquals(List.of("auth", "auth-int"), c.qop());
    assertTrue(c.offersQopAuth());
    assertFalse(c.stale());
    assertEquals(Optional.of("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"), c.opaque());
  }

  @Test
  void toleratesWhatCarriersSend() {
    // RFC 2069 style: no qop, no algorithm
    DigestChallenge old = DigestChallenge.parse("Digest realm=\"carrier.example\", nonce=\"4f1a\"").orElseThrow();
    assertEquals(List.of(), old.qop());
    assertEquals(DigestAlgorithm.MD5, old.algorithm());
    assertFalse(old.offersQopAuth());
    // Unquoted qop, unquoted and lower-case algorithm, stale=TRUE, domain and other params, no spaces
    DigestChallenge c = DigestChallenge.parse("DIGEST realm=\"carrier.example\",domain=\"sip:carrier.example\","
        + "nonce=\"WvX1bFrR\",qop=auth,algorithm=md5,stale=TRUE,charset=UTF-8,userhash=false").orElseThrow();
    assertEquals(List.of("auth"), c.qop());
    assertEquals(DigestAlgorithm.MD5, c.algorithm());
    assertTrue(c.stale());
    // qop list without space, auth-int first
    assertEquals(List.of("auth-int", "auth"),
        DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int,auth\"").orElseThrow().qop());
    // an unquoted base64 nonce
    assertEquals("ab/c+d==", DigestChallenge.parse("Digest realm=\"r\", nonce=ab/c+d==").orElseThrow().nonce());
    assertFalse(DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\", stale=false").orElseThrow().stale());
  }

  @Test
  void refusesWhatCannotBeAnswered() {
    assertEquals(Optional.empty(), DigestChallenge.parse("Digest nonce=\"n\""));
    assertEquals(Optional.empty(), DigestChallenge.parse("Digest realm=\"r\""));
    assertEquals(Optional.empty(), DigestChallenge.parse("Digest realm=\"r\", nonce=\"\""));
    assertEquals(Optional.empty(), DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess"));
    assertEquals(Optional.empty(), DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256"));
    assertEquals(Optional.empty(), DigestChallenge.parse("Digest realm=\"r\", nonce=\"n\", nonce=\"m\""));
    assertEquals(Optional.empty(), DigestChallenge.parse("Basic realm=\"r\""));
    assertEquals(Optional.empty(), DigestChallenge.parse("Digest realm=\"r, nonce=\"n\""));
  }

  @Test
  void refusesValuesThatWouldBreakTheHeader() {
    assertThrows(IllegalArgumentException.class,
        () -> DigestChallenge.of("acme\r\nX-Evil: 1", "n", Optional.empty(), DigestAlgorithm.MD5, false));
    assertThrows(IllegalArgumentException.class,
        () -> new DigestChallenge("r", "n", Optional.empty(), DigestAlgorithm.MD5, List.of("auth\""), false));
  }
}
