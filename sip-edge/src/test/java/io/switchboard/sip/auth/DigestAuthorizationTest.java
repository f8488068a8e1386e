package io.switchboard.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigestAuthorizationTest {

  private static final String MD5_RESPONSE = "0123456789abcdef0123456789abcdef";

  /** baresip / sipp style: no spaces after commas, unquoted algorithm, qop and nc. */
  private static final String BARESIP = "Digest username=\"alice\",realm=\"acme.test\","
      + "nonce=\"MTcxNzE3MTcxNw\",uri=\"sip:acme.test\",response=\"" + MD5_RESPONSE + "\","
      + "algorithm=MD5,cnonce=\"8c3e4a1d\",qop=auth,nc=00000001";

  private static Optional<DigestAuthorization> parse(String v) {
    return DigestAuthorization.parse(v);
  }

  private static void refused(String v) {
    assertEquals(Optional.empty(), parse(v), v);
  }

  @Test
  void readsABaresipStyleHeader() {
    DigestAuthorization h = parse(BARESIP).orElseThrow();
    assertEquals("alice", h.username());
    assertEquals("acme.test", h.realm());
    assertEquals("MTcxNzE3MTcxNw", h.nonce());
    assertEquals("sip:acme.test", h.uri());
    assertEquals(MD5_RESPONSE, h.response());
    assertEquals(DigestAlgorithm.MD5, h.algorithm());
    assertEquals(Optional.of("8c3e4a1d"), h.cnonce());
    assertEquals(Optional.of("auth"), h.qop());
    assertEquals(Optional.of("00000001"), h.nc());
    assertEquals(OptionalLong.of(1), h.nonceCount());
    assertEquals(Optional.empty(), h.opaque());
  }

  @Test
  void readsAnRfc7616HeaderWithOpaqueAndSha256() {
    DigestAuthorization h = parse(DigestVerifierTest.RFC7616_SHA256).orElseThrow();
    assertEquals(DigestAlgorithm.SHA_256, h.algorithm());
    assertEquals(Optional.of(DigestVerifierTest.RFC7616_OPAQUE), h.opaque());
    assertEquals("/dir/index.html", h.uri());
  }

  @Test
  void toleratesQuotedTokensSchemeCaseTabsAndEmptyElements() {
    DigestAuthorization h = parse("digest  username=\"alice\" ,\trealm = \"acme.test\",, nonce=\"n\", "
        + "uri=\"sip:acme.test\", response=\"" + MD5_RESPONSE + "\", algorithm=\"md5\", cnonce=\"c\", "
        + "qop=\"auth\", nc=\"0000000A\", ").orElseThrow();
    assertEquals(DigestAlgorithm.MD5, h.algorithm());
    assertEquals(Optional.of("auth"), h.qop());
    assertEquals(OptionalLong.of(10), h.nonceCount());
    assertEquals(Optional.of("0000000A"), h.nc()); // as sent: the digest is computed over it
  }

  @Test
  void unknownParametersAreIgnoredAndQuotedPairsResolved() {
    DigestAuthorization h = parse("Digest username=\"al\\\"ice\\\\\", realm=\"acme.test\", nonce=\"n\", "
        + "uri=\"sip:acme.test\", response=\"" + MD5_RESPONSE + "\", foo=bar, charset=UTF-8, "
        + "userhash=false").orElseThrow();
    assertEquals("al\"ice\\", h.username());
    assertTrue(h.qop().isEmpty());
  }

  @Test
  void refusesWhatIsNotStrictlyDigestCredentials() {
    String ok = "Digest username=\"alice\", realm=\"acme.test\", nonce=\"n\", uri=\"sip:acme.test\", response=\""
        + MD5_RESPONSE + "\"";
    assertTrue(parse(ok).isPresent());
    refused(null);
    refused("");
    refused("Digest");
    refused("Digest ");
    refused("Basic dXNlcjpwYXNz");
    refused("Digestusername=\"alice\"");
    // duplicates, even with the same value
    refused(ok + ", realm=\"acme.test\"");
    refused(ok + ", Realm=\"other\"");
    // missing mandatory parameters
    refused(ok.replace("username=\"alice\", ", ""));
    refused(ok.replace("realm=\"acme.test\", ", ""));
    refused(ok.replace("nonce=\"n\", ", ""));
    refused(ok.replace("uri=\"sip:acme.test\", ", ""));
    refused(ok.replace(", response=\"" + MD5_RESPONSE + "\"", ""));
    refused(ok.replace("nonce=\"n\"", "nonce=\"\""));
    // unquoted where a quoted-string is required
    refused(ok.replace("username=\"alice\"", "username=alice"));
    refused(ok.replace("nonce=\"n\"", "nonce=n"));
    refused(ok.replace("uri=\"sip:acme.test\"", "uri=sip:acme.test"));
    refused(ok.replace("\"" + MD5_RESPONSE + "\"", MD5_RESPONSE));
    refused(ok + ", opaque=abc");
    refused(ok + ", cnonce=abc, qop=auth, nc=00000001");
    // syntax
    refused(ok.replace("\"alice\"", "\"alice"));
    refused(ok + ", \"");
    refused(ok + " garbage");
    refused(ok.replace("username=", "username"));
    refused(ok + ", =x");
    refused(ok.replace("alice", "ali\u0000ce"));
    refused(ok.replace("alice", "ali\r\nce"));
    refused(ok + ", foo=");
    // response must be a hash of the algorithm
    refused(ok.replace(MD5_RESPONSE, MD5_RESPONSE + "00"));
    refused(ok.replace(MD5_RESPONSE, MD5_RESPONSE.substring(1) + "g"));
    refused(ok + ", algorithm=SHA-256");
    // algorithms we do not compute
    refused(ok + ", algorithm=MD5-sess");
    refused(ok + ", algorithm=SHA-512-256");
    // qop, cnonce and nc go together (RFC 7616 §3.4)
    refused(ok + ", qop=auth");
    refused(ok + ", qop=auth, nc=00000001");
    refused(ok + ", qop=auth, cnonce=\"c\"");
    refused(ok + ", cnonce=\"c\", nc=00000001");
    refused(ok + ", nc=00000001");
    refused(ok + ", qop=auth, cnonce=\"\", nc=00000001");
    // nc is 8 hex digits, not zero
    refused(ok + ", qop=auth, cnonce=\"c\", nc=1");
    refused(ok + ", qop=auth, cnonce=\"c\", nc=000000001");
    refused(ok + ", qop=auth, cnonce=\"c\", nc=0000000g");
    refused(ok + ", qop=auth, cnonce=\"c\", nc=00000000");
    refused(ok + ", qop=\"auth,auth-int\", cnonce=\"c\", nc=00000001");
    refused(ok + ", qop=\"\", cnonce=\"c\", nc=00000001");
    // userhash we never offered
    refused(ok + ", userhash=true");
  }

  @Test
  void valuesOverFourKibAreRefused() {
    String base = "Digest username=\"alice\", realm=\"acme.test\", nonce=\"n\", uri=\"sip:acme.test\", response=\""
        + MD5_RESPONSE + "\", x=\"";
    String fits = base + "a".repeat(4096 - base.length() - 1) + "\"";
    assertEquals(4096, fits.length());
    assertTrue(parse(fits).isPresent());
    refused(base + "a".repeat(4096 - base.length()) + "\"");
  }

  @Test
  void randomMutationsNeverThrow() {
    Random random = new Random(7616);
    String alphabet = "\"\\,= \t\r\n\u0000aZ09-/:;<>\u00ff\u0663";
    for (int i = 0; i < 50_000; i++) {
      StringBuilder b = new StringBuilder(i % 2 == 0 ? BARESIP : DigestVerifierTest.RFC7616_MD5);
      for (int r = 0; r < 1 + random.nextInt(4); r++) {
        int at = random.nextInt(b.length() + 1);
        switch (random.nextInt(3)) {
          case 0 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> {
            if (at < b.length()) {
              b.deleteCharAt(at);
            }
          }
          default -> {
            if (at < b.length()) {
              b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
          }
        }
      }
      String input = b.toString();
      try {
        parse(input).ifPresent(h -> DigestVerifier.verify(h, "REGISTER", MD5_RESPONSE, h.algorithm()));
        DigestChallenge.parse(input);
      } catch (RuntimeException e) {
        fail("mutation " + i + " threw on: " + input, e);
      }
    }
  }
}
