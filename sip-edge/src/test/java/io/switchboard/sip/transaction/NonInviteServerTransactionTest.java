package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17.2.2: Trying, Proceeding, Completed and timer J. */
class NonInviteServerTransactionTest {

  private final ManualTimers clock = new ManualTimers();
  private final RecordingSender sender = new RecordingSender(clock);
  private final RecordingUser user = new RecordingUser();
  private final TransactionLayer layer = new TransactionLayer(sender, clock, TimerSettings.defaults(), user, 100);

  private final SipRequest register = Sip.request("REGISTER", "z9hG4bKreg1");

  private SipResponse answer(int status) {
    return SipMessages.withToTag(SipMessages.response(register, status), "reg-tag");
  }

  @Test
  void noAutomatic100AndRetransmissionsInTryingAreDiscarded() {
    layer.onMessage(register, Sip.UDP);
    clock.advanceMillis(500);
    layer.onMessage(register, Sip.UDP);
    assertEquals(List.of(), sender.timeline());
    assertEquals(1, user.requests().size());
  }

  @Test
  void retransmissionsGetTheLastResponseUntilTimerJ() {
    layer.onMessage(register, Sip.UDP);
    ServerTransaction tx = user.onlyTransaction();
    clock.advanceMillis(100);
    tx.respond(answer(100));
    clock.advanceMillis(400);
    layer.onMessage(register, Sip.UDP);
    assertFalse(tx.isFinal());

    tx.respond(answer(200));
    assertTrue(tx.isFinal());
    clock.advanceMillis(1_000);
    layer.onMessage(register, Sip.UDP);
    tx.respond(answer(500)); // after the final: ignored
    assertEquals(List.of("100@100", "100@500", "200@500", "200@1500"), sender.timeline());

    // Timer J = 64*T1 after the final; afterwards the same request is a new one.
    clock.advanceMillis(30_999);
    assertEquals(1, layer.size());
    clock.advanceMillis(1);
    assertEquals(0, layer.size());
    layer.onMessage(register, Sip.UDP);
    assertEquals(2, user.requests().size());
    assertNotSame(user.requests().get(0).transaction(), user.requests().get(1).transaction());
  }

  @Test
  void onTcpTheFinalResponseTerminatesAtOnce() {
    layer.onMessage(register, Sip.TCP);
    user.onlyTransaction().respond(answer(200));
    assertEquals(0, layer.size(), "timer J is zero on reliable transports");
    assertEquals(List.of("200@0"), sender.timeline());
  }

  @Test
  void tuMayAnswerFromInsideOnRequest() {
    user.reactWith((tx, request) -> tx.respond(SipMessages.response(request, 200)));
    layer.onMessage(register, Sip.UDP);
    layer.onMessage(register, Sip.UDP);
    assertEquals(List.of("200@0", "200@0"), sender.timeline());
  }
}
