package io.switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The causes an edge sends and receives: SIP final responses (RFC 3261 §21) and Q.850 values (RFC 3398). */
class HangupCauseTest {

  @Test
  void eachCauseHasItsSipResponseAndQ850Value() {
    Map<HangupCause, int[]> expected = Map.of(
        HangupCause.BUSY, new int[] {486, 17}, HangupCause.NO_ANSWER, new int[] {480, 19},
        HangupCause.REJECTED, new int[] {603, 21}, HangupCause.UNAVAILABLE, new int[] {480, 20},
        HangupCause.CANCELLED, new int[] {487, 16}, HangupCause.FAILED, new int[] {500, 41},
        HangupCause.NOT_FOUND, new int[] {404, 1}, HangupCause.LOOP_DETECTED, new int[] {482, 25},
        HangupCause.NORMAL, new int[] {200, 16});
    expected.forEach((cause, codes) -> {
      assertEquals(codes[0], cause.sipStatus(), cause.name());
      assertEquals(codes[1], cause.q850Cause(), cause.name());
    });
  }

  @Test
  void aCalleesFinalResponseMeansACause() {
    Map<Integer, HangupCause> responses = Map.ofEntries(Map.entry(486, HangupCause.BUSY),
        Map.entry(600, HangupCause.BUSY), Map.entry(480, HangupCause.NO_ANSWER),
        Map.entry(408, HangupCause.NO_ANSWER), Map.entry(603, HangupCause.REJECTED),
        Map.entry(403, HangupCause.REJECTED), Map.entry(404, HangupCause.NOT_FOUND),
        Map.entry(484, HangupCause.NOT_FOUND), Map.entry(482, HangupCause.LOOP_DETECTED),
        Map.entry(487, HangupCause.CANCELLED), Map.entry(503, HangupCause.UNAVAILABLE),
        Map.entry(500, HangupCause.FAILED), Map.entry(488, HangupCause.FAILED), Map.entry(200, HangupCause.NORMAL));
    responses.forEach((status, cause) -> assertEquals(cause, HangupCause.fromSipStatus(status), "SIP " + status));
    assertEquals(Optional.of(HangupCause.BUSY), HangupCause.fromQ850(17));
    assertEquals(Optional.empty(), HangupCause.fromQ850(999));
  }
}
