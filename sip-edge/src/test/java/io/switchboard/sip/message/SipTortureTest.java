package io.switchboard.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.switchboard.sip.message.SipParseResult.Malformed;
import io.switchboard.sip.message.SipParseResult.Parsed;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of RFC 4475 against its row in expectations.tsv: {@code valid} parses, validates
 * and round-trips; {@code invalid} is Malformed with the status the RFC names;
 * {@code semantically-invalid} parses and {@link SipValidation} gives the RFC's answer.
 */
class SipTortureTest {

  /** Status for invalid messages where the RFC names one other than 400. */
  private static final Map<String, Integer> INVALID_STATUS = Map.of(
      "badvers.dat", 505,     // §3.1.2.16
      "mismatch02.dat", 501); // §3.1.2.18 (400 also acceptable; we answer 501 for unknown methods)

  /**
   * A word of the Malformed reason for each invalid message, so that each is rejected for the
   * defect its RFC section describes and not for some other one.
   */
  private static final Map<String, String> INVALID_REASON = Map.ofEntries(
      Map.entry("badinv01.dat", "Via: empty parameter"),
      Map.entry("clerr.dat", "Content-Length 9999 exceeds"),
      Map.entry("ncl.dat", "Content-Length is negative"),
      Map.entry("scalar02.dat", "CSeq number"),
      Map.entry("scalarlg.dat", "CSeq number"),
      Map.entry("quotbal.dat", "To: unterminated quoted string"),
      Map.entry("ltgtruri.dat", "Request-URI: URI contains an unescaped '<'"),
      Map.entry("lwsruri.dat", "Request-Line has extra SP"),
      Map.entry("lwsstart.dat", "Request-Line has extra SP"),
      Map.entry("trws.dat", "Request-Line has extra SP"),
      Map.entry("escruri.dat", "headers component"),
      Map.entry("baddate.dat", "Date"),
      Map.entry("regbadct.dat", "Contact: URI with '?'"),
      Map.entry("badaspec.dat", "To: URI contains an unescaped space"),
      // The archived bytes lack the final CRLF (see the corpus README); SipParserTest checks the
      // display-name defect itself on a copy with the CRLF appended.
      Map.entry("baddn.dat", "not ended by an empty line"),
      Map.entry("badvers.dat", "SIP-Version"),
      Map.entry("mismatch01.dat", "CSeq method"),
      Map.entry("mismatch02.dat", "CSeq method"),
      Map.entry("bigcode.dat", "Status-Code"),
      Map.entry("test.dat", "Request-Line needs"));

  /** The verdict for each semantically invalid message, from the note of its RFC section. */
  private static final Map<String, SipVerdict> SEMANTIC = Map.ofEntries(
      Map.entry("badbranch.dat", new SipVerdict.Reject(400, "Via branch is the bare magic cookie")),
      Map.entry("insuf.dat", new SipVerdict.Reject(400, "missing To header")),
      Map.entry("unkscm.dat", new SipVerdict.Reject(416, "Request-URI scheme 'nobodyknowsthisscheme' is not supported")),
      Map.entry("novelsc.dat", new SipVerdict.Reject(416, "Request-URI scheme 'soap.beep' is not supported")),
      Map.entry("unksm2.dat", new SipVerdict.Reject(400, "REGISTER To URI scheme 'isbn' is not sip or sips")),
      Map.entry("bext01.dat", new SipVerdict.Reject(420, "Require option tag 'nothingSupportsThis' is not supported")),
      Map.entry("invut.dat", new SipVerdict.Reject(415, "Content-Type application/unknownformat is not supported")),
      Map.entry("multi01.dat", new SipVerdict.Reject(400, "more than one To header")),
      Map.entry("mcl01.dat", new SipVerdict.Reject(400, "more than one Content-Length header")),
      Map.entry("bcast.dat", new SipVerdict.Discard("Via sent-by is the broadcast address 255.255.255.255")),
      Map.entry("sdp01.dat", new SipVerdict.Reject(406, "Accept does not include application/sdp")));

  static Stream<SipTorture.Row> rows() {
    return SipTorture.rows().stream();
  }

  /** The copy in the repository is byte for byte the published corpus. */
  @Test
  void theCorpusIsIntact() throws Exception {
    java.nio.file.Path dir = SipTorture.dir();
    List<String> sums = java.nio.file.Files.readAllLines(dir.resolve("SHA256SUMS"));
    assertEquals(50, sums.stream().filter(l -> l.endsWith(".dat")).count());
    for (String line : sums) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.trim().split("\\s+\\*?", 2);
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(java.nio.file.Files.readAllBytes(dir.resolve(parts[1])));
      assertEquals(parts[0], java.util.HexFormat.of().formatHex(digest), parts[1]);
    }
  }

  @Test
  void everyCorpusFileHasARowAndEveryRowAKnownClass() {
    List<SipTorture.Row> rows = SipTorture.rows();
    assertEquals(50, rows.size(), "RFC 4475 archive has 50 messages");
    for (SipTorture.Row row : rows) {
      if (!List.of("valid", "invalid", "semantically-invalid").contains(row.expectation())) {
        fail("unknown expectation " + row);
      }
      if (row.expectation().equals("semantically-invalid") && !SEMANTIC.containsKey(row.file())) {
        fail("no expected verdict recorded for " + row);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void meetsTheExpectation(SipTorture.Row row) {
    byte[] octets = SipTorture.bytes(row.file());
    SipParseResult result = SipParser.parse(octets);
    switch (row.expectation()) {
      case "valid" -> {
        Parsed parsed = assertInstanceOf(Parsed.class, result, () -> row + ": " + result);
        assertEquals(new SipVerdict.Acceptable(), SipValidation.check(parsed.message()), row::toString);
        assertRoundTrip(parsed.message());
      }
      case "invalid" -> {
        Malformed malformed = assertInstanceOf(Malformed.class, result, () -> row + ": " + result);
        assertEquals(INVALID_STATUS.getOrDefault(row.file(), 400), malformed.statusToSend(),
            () -> row + ": " + malformed.reason());
        String word = INVALID_REASON.get(row.file());
        if (word == null || !malformed.reason().contains(word)) {
          fail(row + ": rejected for '" + malformed.reason() + "', expected a reason with '" + word + "'");
        }
      }
      case "semantically-invalid" -> {
        Parsed parsed = assertInstanceOf(Parsed.class, result, () -> row + ": " + result);
        assertEquals(SEMANTIC.get(row.file()), SipValidation.check(parsed.message()), row::toString);
        assertRoundTrip(parsed.message());
      }
      default -> fail("unknown expectation " + row);
    }
  }

  /** parse(encode(m)) is m, once m states its body length the way the encoder always does. */
  static void assertRoundTrip(SipMessage message) {
    SipMessage expected = SipEncoder.withCorrectContentLength(message);
    SipParseResult again = SipParser.parse(SipEncoder.encode(message));
    Parsed parsed = assertInstanceOf(Parsed.class, again, () -> "re-parse of " + message + ": " + again);
    assertEquals(expected, parsed.message());
    assertEquals(0, parsed.trailingBytes().length);
    SipParseResult streamed = SipParser.parseStream(SipEncoder.encode(message));
    assertEquals(expected, assertInstanceOf(Parsed.class, streamed, streamed::toString).message());
  }
}
