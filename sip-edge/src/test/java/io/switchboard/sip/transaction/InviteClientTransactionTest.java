package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17.1.1 with RFC 6026 §7.2: timers A, B, D, M, the ACK for non-2xx, and Accepted. */
class InviteClientTransactionTest {

  private static final String BRANCH = "z9hG4bK74bf9";

  private final ManualTimers clock = new ManualTimers();
  private final RecordingSender sender = new RecordingSender(clock);
  private final RecordingUser user = new RecordingUser();
  private final RecordingListener listener = new RecordingListener(clock);
  private final TransactionLayer layer = new TransactionLayer(sender, clock, TimerSettings.defaults(), user, 100);

  private ClientTransaction send(Flow flow) {
    return layer.sendRequest(Sip.invite(BRANCH, flow.transport().viaName()), flow, listener);
  }

  private SipResponse response(int status, String reason) {
    return Sip.response(status, reason, Sip.via(BRANCH), "314159 INVITE");
  }

  private void receive(int status, String reason) {
    layer.onMessage(response(status, reason), Sip.UDP);
  }

  @Test
  void timerADoublesWithoutCapAndTimerBTimesOutOnce() {
    ClientTransaction tx = send(Sip.UDP);

    clock.advanceMillis(70_000);

    // §17.1.1.2: A = T1, 2T1, 4T1, ... (no T2 cap for INVITE); B = 64*T1.
    assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L), sender.timesOf("INVITE"));
    assertEquals(List.of("timeout@32000"), listener.events());
    assertTrue(tx.isTerminated());
    assertEquals(0, layer.size());
    assertEquals(0, clock.pending());
  }

  @Test
  void noTimerAOnTcp() {
    send(Sip.TCP);
    clock.advanceMillis(70_000);
    assertEquals(List.of(0L), sender.timesOf("INVITE"));
    assertEquals(List.of("timeout@32000"), listener.events());
  }

  @Test
  void provisionalStopsRetransmissionsAndTimerB() {
    ClientTransaction tx = send(Sip.UDP);
    clock.advanceMillis(700);
    receive(180, "Ringing");
    clock.advanceMillis(200_000);

    assertEquals(List.of(0L, 500L), sender.timesOf("INVITE"));
    assertEquals(List.of("180@700"), listener.events(), "timer B does not apply in Proceeding");
    assertFalse(tx.isTerminated());
    assertEquals(1, layer.size());
  }

  @Test
  void nonTwoXxFinalIsAckedPer17113AndTheAckResentForEachRetransmission() {
    ClientTransaction tx = send(Sip.UDP);
    clock.advanceMillis(1_000);
    receive(486, "Busy Here");

    String expectedAck = String.join("\r\n",
        "ACK sip:bob@biloxi.example.com SIP/2.0",
        "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK74bf9",
        "Route: <sip:p1.example.com;lr>",
        "Route: <sip:p2.example.com;lr>",
        "Max-Forwards: 70",
        "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
        "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356",
        "Call-ID: 3848276298220188511@atlanta.example.com",
        "CSeq: 314159 ACK",
        "Content-Length: 0",
        "", "");
    assertEquals(List.of("INVITE@0", "INVITE@500", "ACK@1000"), sender.timeline());
    assertEquals(expectedAck, sender.last().text());
    assertEquals(Sip.UDP, sender.last().flow());
    assertEquals(List.of("486@1000"), listener.events());

    clock.advanceMillis(3_000);
    receive(486, "Busy Here"); // the server's timer G retransmission
    assertEquals(List.of("INVITE@0", "INVITE@500", "ACK@1000", "ACK@4000"), sender.timeline());
    assertEquals(expectedAck, sender.last().text());
    assertEquals(List.of("486@1000"), listener.events(), "retransmitted finals are not passed up");

    // Timer D: 32 s after entering Completed.
    clock.advanceMillis(28_999);
    assertFalse(tx.isTerminated());
    clock.advanceMillis(1);
    assertTrue(tx.isTerminated());
    assertEquals(0, layer.size());
    assertEquals(List.of("486@1000"), listener.events(), "no timeout after a final");
  }

  @Test
  void nonTwoXxOnTcpIsAckedAndTerminatesAtOnce() {
    ClientTransaction tx = send(Sip.TCP);
    receive(183, "Session Progress");
    receive(603, "Decline");
    assertEquals(List.of("INVITE@0", "ACK@0"), sender.timeline());
    assertTrue(tx.isTerminated(), "timer D is zero on reliable transports");
    assertEquals(List.of("183@0", "603@0"), listener.events());
  }

  @Test
  void twoXxGoesUpAndItsRetransmissionsToo_WithoutAnAckFromTheTransaction() {
    ClientTransaction tx = send(Sip.UDP);
    clock.advanceMillis(100);
    receive(180, "Ringing");
    clock.advanceMillis(900);
    SipResponse ok = response(200, "OK");
    layer.onMessage(ok, Sip.UDP);
    clock.advanceMillis(500);
    receive(200, "OK");
    clock.advanceMillis(1_000);
    receive(200, "OK");
    receive(180, "Ringing"); // a late provisional in Accepted: dropped

    assertEquals(List.of("180@100", "200@1000", "200@1500", "200@2500"), listener.events());
    assertSame(ok, listener.responses().get(1));
    assertEquals(List.of("INVITE@0"), sender.timeline(), "the TU, not the transaction, ACKs a 2xx");
    assertEquals(List.of(), user.strays());

    // Timer M = 64*T1 after the first 2xx; afterwards a 2xx is a stray for the UAC core (§13.2.2.4).
    clock.advanceMillis(30_499);
    assertFalse(tx.isTerminated());
    clock.advanceMillis(1);
    assertTrue(tx.isTerminated());
    receive(200, "OK");
    assertEquals(1, user.strays().size());
    assertEquals(4, listener.events().size());
  }

  @Test
  void twoXxWhileCallingStopsTimerAAndB() {
    send(Sip.UDP);
    clock.advanceMillis(200);
    receive(200, "OK");
    clock.advanceMillis(100_000);
    assertEquals(List.of("INVITE@0"), sender.timeline());
    assertEquals(List.of("200@200"), listener.events());
    assertEquals(0, layer.size());
  }

  @Test
  void transportErrorWhileCallingIsReportedOnce() {
    sender.failWith(new IOException("connection refused"));
    ClientTransaction tx = send(Sip.TCP);
    clock.advanceMillis(100_000);
    assertEquals(List.of("error@0"), listener.events());
    assertTrue(tx.isTerminated());
    assertEquals(0, layer.size());
  }

  @Test
  void failedAckEndsTheTransactionWithoutASecondOutcome() {
    ClientTransaction tx = send(Sip.UDP);
    sender.failWith(new IOException("no route"));
    receive(500, "Server Internal Error");
    assertTrue(tx.isTerminated());
    assertEquals(List.of("500@0"), listener.events());
  }
}
