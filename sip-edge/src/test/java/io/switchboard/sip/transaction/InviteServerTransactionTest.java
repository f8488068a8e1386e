package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17.2.1 with RFC 6026 §7.1: 100 Trying, timers G, H, I, L, Confirmed and Accepted. */
class InviteServerTransactionTest {

  private static final String BRANCH = "z9hG4bK74bf9";

  private final ManualTimers clock = new ManualTimers();
  private final RecordingSender sender = new RecordingSender(clock);
  private final RecordingUser user = new RecordingUser();
  private final TransactionLayer layer = new TransactionLayer(sender, clock, TimerSettings.defaults(), user, 100);

  private final SipRequest invite = Sip.invite(BRANCH, "UDP");

  /** The non-2xx ACK a UAC sends (§17.1.1.3): same branch as the INVITE, To with our tag. */
  private final SipRequest ackForNon2xx = Sip.request("ACK", Sip.via(BRANCH), Sip.TO_TAGGED, 314159);
  /** The 2xx ACK (§13.2.2.4): a new transaction, so a new branch. */
  private final SipRequest ackFor2xx = Sip.request("ACK", Sip.via("z9hG4bKnew2xxack"), Sip.TO_TAGGED, 314159);

  private ServerTransaction receiveInvite(Flow flow) {
    layer.onMessage(invite, flow);
    return user.onlyTransaction();
  }

  private SipResponse answer(int status) {
    return SipMessages.withToTag(SipMessages.response(invite, status), "8321234356");
  }

  @Test
  void sends100TryingAtOnceAndAnswersRetransmissionsWithTheLatestProvisional() {
    ServerTransaction tx = receiveInvite(Sip.UDP);
    assertSame(invite, tx.request());
    assertEquals(Sip.UDP, tx.flow());
    assertEquals(List.of("100@0"), sender.timeline());
    SipResponse trying = (SipResponse) sender.last().message();
    assertEquals("Trying", trying.reason());
    assertEquals(invite.headers().values("Via"), trying.headers().values("Via"));
    assertEquals(Sip.TO, trying.headers().first("To").orElseThrow(), "no To tag needed on 100");
    assertEquals("314159 INVITE", trying.headers().first("CSeq").orElseThrow());

    clock.advanceMillis(500);
    layer.onMessage(invite, Sip.UDP);
    assertEquals(List.of("100@0", "100@500"), sender.timeline());

    tx.respond(answer(180));
    clock.advanceMillis(500);
    layer.onMessage(invite, Sip.UDP);
    assertEquals(List.of("100@0", "100@500", "180@500", "180@1000"), sender.timeline());
    assertSame(sender.all().get(2).message(), sender.last().message());
    assertEquals(1, user.requests().size(), "retransmissions never reach the TU");
    assertFalse(tx.isFinal());
  }

  @Test
  void nonTwoXxIsRetransmittedByTimerGUntilTheAckIsAbsorbed() {
    ServerTransaction tx = receiveInvite(Sip.UDP);
    clock.advanceMillis(1_000);
    tx.respond(answer(486));
    assertTrue(tx.isFinal());

    clock.advanceMillis(6_000); // to 7000: G at 1500, 2500, 4500, then 8500 is pending
    layer.onMessage(invite, Sip.UDP); // retransmitted INVITE in Completed: the final again
    layer.onMessage(ackForNon2xx, Sip.UDP);
    layer.onMessage(ackForNon2xx, Sip.UDP); // absorbed in Confirmed
    clock.advanceMillis(60_000);

    assertEquals(List.of(1000L, 1500L, 2500L, 4500L, 7000L), sender.timesOf("486"));
    assertEquals(List.of(), user.acks(), "the ACK for a non-2xx stays in the transaction");
    assertEquals(0, layer.size());
  }

  @Test
  void timerIAbsorbsAckRetransmissionsForT4() {
    ServerTransaction tx = receiveInvite(Sip.UDP);
    tx.respond(answer(404));
    clock.advanceMillis(100);
    layer.onMessage(ackForNon2xx, Sip.UDP);
    clock.advanceMillis(4_999);
    layer.onMessage(ackForNon2xx, Sip.UDP);
    assertEquals(1, layer.size());
    assertEquals(List.of(), user.acks());
    clock.advanceMillis(1);
    assertEquals(0, layer.size());
    // Now the transaction is gone: an ACK is the core's business (which will drop it).
    layer.onMessage(ackForNon2xx, Sip.UDP);
    assertEquals(1, user.acks().size());
  }

  @Test
  void timerGCapsAtT2AndTimerHJustTerminates() {
    ServerTransaction tx = receiveInvite(Sip.UDP);
    tx.respond(answer(480));
    clock.advanceMillis(100_000);

    assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L),
        sender.timesOf("480"));
    assertEquals(0, layer.size(), "timer H at 64*T1");
    assertEquals(List.of(), user.acks());
    assertEquals(0, clock.pending());
  }

  @Test
  void onTcpNoTimerGAndTheAckTerminatesAtOnce() {
    ServerTransaction tx = receiveInvite(Sip.TCP);
    tx.respond(answer(486));
    clock.advanceMillis(10_000);
    assertEquals(List.of("100@0", "486@0"), sender.timeline());
    assertEquals(1, layer.size());
    layer.onMessage(ackForNon2xx, Sip.TCP);
    assertEquals(0, layer.size(), "timer I is zero on reliable transports");
  }

  @Test
  void timerHAlsoRunsOnTcp() {
    ServerTransaction tx = receiveInvite(Sip.TCP);
    tx.respond(answer(486));
    clock.advanceMillis(31_999);
    assertEquals(1, layer.size());
    clock.advanceMillis(1);
    assertEquals(0, layer.size());
  }

  @Test
  void twoXxMovesToAcceptedWhereInvitesAreAbsorbedAndAcksGoToTheTu() {
    ServerTransaction tx = receiveInvite(Sip.UDP);
    clock.advanceMillis(2_000);
    tx.respond(answer(200));
    assertTrue(tx.isFinal());

    clock.advanceMillis(500);
    layer.onMessage(invite, Sip.UDP); // absorbed: the UAS core retransmits the 2xx itself
    tx.respond(answer(486));          // after the final: ignored
    tx.respond(answer(200));          // likewise (TwoXxRetransmitter sends 2xx retransmissions)
    layer.onMessage(ackFor2xx, Sip.UDP);
    layer.onMessage(ackForNon2xx, Sip.UDP); // same branch as the INVITE: matches, still the TU's

    assertEquals(List.of("100@0", "200@2000"), sender.timeline());
    assertEquals(1, user.requests().size());
    assertEquals(2, user.acks().size());
    assertSame(ackFor2xx, user.acks().get(0).ack());
    assertSame(ackForNon2xx, user.acks().get(1).ack());

    // Timer L = 64*T1 from the 2xx.
    clock.advanceMillis(31_499);
    assertEquals(1, layer.size());
    clock.advanceMillis(1);
    assertEquals(0, layer.size());
    assertEquals(0, clock.pending());
  }

  @Test
  void twoXxOnTcpStaysAcceptedForTimerL() {
    ServerTransaction tx = receiveInvite(Sip.TCP);
    tx.respond(answer(200));
    layer.onMessage(invite, Sip.TCP);
    assertEquals(List.of("100@0", "200@0"), sender.timeline());
    clock.advanceMillis(32_000);
    assertEquals(0, layer.size());
  }
}
