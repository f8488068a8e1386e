package io.switchboard.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.switchboard.sip.message.SipParseResult.Malformed;
import io.switchboard.sip.message.SipParseResult.Parsed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the RFC 4475 corpus. Every input must produce a result (no exception, no
 * hang: each parse is bounded by {@link SipLimits}, so no timing assertion is needed), every
 * Malformed status is one the edge knows how to send, and every Parsed message re-encodes to
 * octets that parse back to the same message.
 */
class SipFuzzTest {

  private static final long SEED = 4475L;
  private static final int MUTATIONS = 100_000;

  /** Octets that matter to the grammar, so mutations hit separators more often than chance. */
  private static final byte[] INTERESTING = {
      '\r', '\n', ' ', '\t', ':', ';', ',', '"', '\\', '<', '>', '[', ']', '=', '/', '@', '?', '%',
      '0', '9', '-', 0, (byte) 0x7F, (byte) 0x80, (byte) 0xFF};

  private static final Set<Integer> STATUSES = Set.of(400, 413, 501, 505, 513);

  @Test
  void mutatedCorpusNeverEscapesTheResultTypes() {
    List<byte[]> corpus = new ArrayList<>();
    for (SipTorture.Row row : SipTorture.rows()) {
      corpus.add(SipTorture.bytes(row.file()));
    }
    Random random = new Random(SEED);
    int parsed = 0;
    int malformed = 0;
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] input = corpus.get(random.nextInt(corpus.size()));
      int rounds = 1 + random.nextInt(3);
      for (int r = 0; r < rounds; r++) {
        input = mutate(input, random);
      }
      try {
        if (exercise(SipParser.parse(input))) {
          parsed++;
        } else {
          malformed++;
        }
        exercise(SipParser.parseStream(input));
      } catch (RuntimeException | AssertionError e) {
        fail("mutation " + i + " (seed " + SEED + ") broke the codec; input hex: "
            + HexFormat.of().formatHex(input), e);
      }
    }
    // Both outcomes must be common, or the mutations are not exercising the grammar.
    assertTrue(parsed > MUTATIONS / 20, "parsed " + parsed);
    assertTrue(malformed > MUTATIONS / 20, "malformed " + malformed);
  }

  /** True if parsed; checks the invariants of each result kind. */
  private static boolean exercise(SipParseResult result) {
    if (result instanceof Malformed m) {
      assertTrue(STATUSES.contains(m.statusToSend()), m::toString);
      return false;
    }
    if (result instanceof Parsed p) {
      SipMessage message = p.message();
      SipValidation.check(message);
      byte[] encoded = SipEncoder.encode(message);
      SipParseResult again = SipParser.parseStream(encoded);
      if (!(again instanceof Parsed back)) {
        return fail("re-encoded message does not parse: " + again);
      }
      assertEquals(SipEncoder.withCorrectContentLength(message), back.message());
      return true;
    }
    return false; // NeedMoreBytes, stream only
  }

  private static byte[] mutate(byte[] in, Random random) {
    if (in.length == 0) {
      return new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]};
    }
    int at = random.nextInt(in.length);
    switch (random.nextInt(6)) {
      case 0 -> { // flip one bit
        byte[] out = in.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      case 1 -> { // insert an interesting or random octet
        byte b = random.nextBoolean()
            ? INTERESTING[random.nextInt(INTERESTING.length)]
            : (byte) random.nextInt(256);
        byte[] out = new byte[in.length + 1];
        System.arraycopy(in, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(in, at, out, at + 1, in.length - at);
        return out;
      }
      case 2 -> { // delete a run of up to 8 octets
        int n = Math.min(1 + random.nextInt(8), in.length - at);
        byte[] out = new byte[in.length - n];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + n, out, at, in.length - at - n);
        return out;
      }
      case 3 -> { // truncate
        return Arrays.copyOf(in, at);
      }
      case 4 -> { // duplicate the line containing 'at'
        int start = at;
        while (start > 0 && in[start - 1] != '\n') {
          start--;
        }
        int end = at;
        while (end < in.length && in[end] != '\n') {
          end++;
        }
        end = Math.min(end + 1, in.length);
        byte[] out = new byte[in.length + (end - start)];
        System.arraycopy(in, 0, out, 0, end);
        System.arraycopy(in, start, out, end, end - start);
        System.arraycopy(in, end, out, end + (end - start), in.length - end);
        return out;
      }
      default -> { // overwrite with an interesting octet
        byte[] out = in.clone();
        out[at] = INTERESTING[random.nextInt(INTERESTING.length)];
        return out;
      }
    }
  }
}
