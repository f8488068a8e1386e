package io.switchboard.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The published examples of RFC 7616 §3.9.1, RFC 2617 §3.5 and RFC 2069 §2.4, then the refusals. */
class DigestVerifierTest {

  static final String RFC7616_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  static final String RFC7616_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  static final String RFC7616_OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
  static final String RFC7616_REALM = "http-auth@example.org";
  static final String RFC7616_PASSWORD = "Circle of Life";

  /** RFC 7616 §3.9.1, the second Authorization (algorithm=MD5), unfolded. */
  static final String RFC7616_MD5 = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
      + "uri=\"/dir/index.html\", algorithm=MD5, nonce=\"" + RFC7616_NONCE + "\", nc=00000001, "
      + "cnonce=\"" + RFC7616_CNONCE + "\", qop=auth, response=\"8ca523f5e9506fed4657c9700eebdbec\", "
      + "opaque=\"" + RFC7616_OPAQUE + "\"";

  /** RFC 7616 §3.9.1, the first Authorization (algorithm=SHA-256), unfolded. */
  static final String RFC7616_SHA256 = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
      + "uri=\"/dir/index.html\", algorithm=SHA-256, nonce=\"" + RFC7616_NONCE + "\", nc=00000001, "
      + "cnonce=\"" + RFC7616_CNONCE + "\", qop=auth, "
      + "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", "
      + "opaque=\"" + RFC7616_OPAQUE + "\"";

  /** RFC 2617 §3.5 (password "Circle Of Life", capital O). */
  static final String RFC2617 = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
      + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
      + "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
      + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

  /** RFC 2069 §2.4: no qop, so response = H(HA1:nonce:HA2) (password "CircleOfLife"). */
  static final String RFC2069 = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
      + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
      + "response=\"1949323746fe6a43ef61f9606e7febea\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

  static DigestAuthorization parse(String value) {
    return DigestAuthorization.parse(value).orElseThrow(() -> new AssertionError("does not parse: " + value));
  }

  static String ha1(DigestAlgorithm alg, String user, String realm, String password) {
    return DigestClient.ha1(alg, user, realm, password);
  }

  @Test
  void rfc7616Md5Example() {
    DigestAuthorization h = parse(RFC7616_MD5);
    String ha1 = ha1(DigestAlgorithm.MD5, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD);
    assertTrue(DigestVerifier.verify(h, "GET", ha1, DigestAlgorithm.MD5));
    assertFalse(DigestVerifier.verify(h, "POST", ha1, DigestAlgorithm.MD5));
    assertFalse(DigestVerifier.verify(h, "GET", ha1(DigestAlgorithm.MD5, "Mufasa", RFC7616_REALM, "Circle Of Life"),
        DigestAlgorithm.MD5));
  }

  @Test
  void rfc7616Sha256Example() {
    DigestAuthorization h = parse(RFC7616_SHA256);
    assertEquals(DigestAlgorithm.SHA_256, h.algorithm());
    String ha1 = ha1(DigestAlgorithm.SHA_256, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD);
    assertTrue(DigestVerifier.verify(h, "GET", ha1, DigestAlgorithm.SHA_256));
    assertFalse(DigestVerifier.verify(h, "GET", ha1(DigestAlgorithm.SHA_256, "Mufasa", RFC7616_REALM, "circle of life"),
        DigestAlgorithm.SHA_256));
  }

  @Test
  void rfc2617Example() {
    DigestAuthorization h = parse(RFC2617);
    assertEquals(DigestAlgorithm.MD5, h.algorithm()); // absent means MD5
    assertTrue(DigestVerifier.verify(h, "GET",
        ha1(DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life"), DigestAlgorithm.MD5));
  }

  @Test
  void rfc2069ExampleWithoutQop() {
    DigestAuthorization h = parse(RFC2069);
    assertTrue(h.qop().isEmpty());
    String ha1 = ha1(DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com", "CircleOfLife");
    assertTrue(DigestVerifier.verify(h, "GET", ha1, DigestAlgorithm.MD5));
    assertFalse(DigestVerifier.verify(h, "GET", ha1(DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com",
        "Circle Of Life"), DigestAlgorithm.MD5));
  }

  @Test
  void ha1IsWhatTheProvisioningSideStores() {
    // DigestCredentials.ha1Md5 = hex(MD5("username:realm:password")), lower case.
    assertEquals(DigestAlgorithm.MD5.hash("Mufasa:" + RFC7616_REALM + ":" + RFC7616_PASSWORD),
        ha1(DigestAlgorithm.MD5, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD));
    // An upper-case stored HA1 still verifies: only the hex value matters.
    String ha1 = ha1(DigestAlgorithm.SHA_256, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD).toUpperCase(Locale.ROOT);
    assertTrue(DigestVerifier.verify(parse(RFC7616_SHA256), "GET", ha1, DigestAlgorithm.SHA_256));
  }

  @Test
  void upperCaseResponseHexVerifies() {
    String upper = RFC7616_MD5.replace("8ca523f5e9506fed4657c9700eebdbec", "8CA523F5E9506FED4657C9700EEBDBEC");
    assertTrue(DigestVerifier.verify(parse(upper), "GET",
        ha1(DigestAlgorithm.MD5, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD), DigestAlgorithm.MD5));
  }

  @Test
  void anyChangedInputFails() {
    String ha1 = ha1(DigestAlgorithm.MD5, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD);
    String[] tampered = {
        RFC7616_MD5.replace("uri=\"/dir/index.html\"", "uri=\"/dir/index.htm\""),
        RFC7616_MD5.replace("nc=00000001", "nc=00000002"),
        RFC7616_MD5.replace(RFC7616_CNONCE, "x" + RFC7616_CNONCE),
        RFC7616_MD5.replace(RFC7616_NONCE, RFC7616_NONCE + "x"),
        RFC7616_MD5.replace("8ca523f5e9506fed4657c9700eebdbec", "8ca523f5e9506fed4657c9700eebdbed"),
    };
    for (String t : tampered) {
      assertFalse(DigestVerifier.verify(parse(t), "GET", ha1, DigestAlgorithm.MD5), t);
    }
  }

  @Test
  void authIntIsRefusedEvenWithTheRightDigest() {
    // Compute a response as a client would for qop=auth-int with an empty body:
    // HA2 = H(method:uri:H(body)). The verifier refuses it whatever the value.
    String ha1 = ha1(DigestAlgorithm.MD5, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD);
    String ha2 = DigestAlgorithm.MD5.hash("GET:/dir/index.html:" + DigestAlgorithm.MD5.hash(""));
    String response = DigestAlgorithm.MD5.hash(ha1 + ":" + RFC7616_NONCE + ":00000001:" + RFC7616_CNONCE
        + ":auth-int:" + ha2);
    DigestAuthorization h = parse(RFC7616_MD5.replace("qop=auth", "qop=auth-int")
        .replace("8ca523f5e9506fed4657c9700eebdbec", response));
    assertEquals("auth-int", h.qop().orElseThrow());
    assertFalse(DigestVerifier.verify(h, "GET", ha1, DigestAlgorithm.MD5));
  }

  @Test
  void algorithmMismatchAndBadHa1AreRefused() {
    DigestAuthorization md5 = parse(RFC7616_MD5);
    String md5Ha1 = ha1(DigestAlgorithm.MD5, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD);
    String shaHa1 = ha1(DigestAlgorithm.SHA_256, "Mufasa", RFC7616_REALM, RFC7616_PASSWORD);
    assertFalse(DigestVerifier.verify(md5, "GET", shaHa1, DigestAlgorithm.SHA_256));
    assertFalse(DigestVerifier.verify(md5, "GET", shaHa1, DigestAlgorithm.MD5));
    assertFalse(DigestVerifier.verify(md5, "GET", "", DigestAlgorithm.MD5));
    assertFalse(DigestVerifier.verify(md5, "GET", null, DigestAlgorithm.MD5));
    assertFalse(DigestVerifier.verify(md5, "GET", md5Ha1.substring(1) + "z", DigestAlgorithm.MD5));
  }
}
