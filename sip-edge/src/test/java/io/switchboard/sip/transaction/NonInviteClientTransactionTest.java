package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.transport.Flow;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17.1.2: timers E, F, K and the transport error path. */
class NonInviteClientTransactionTest {

  private static final String BRANCH = "z9hG4bKnashds7";

  private final ManualTimers clock = new ManualTimers();
  private final RecordingSender sender = new RecordingSender(clock);
  private final RecordingUser user = new RecordingUser();
  private final RecordingListener listener = new RecordingListener(clock);
  private final TransactionLayer layer = new TransactionLayer(sender, clock, TimerSettings.defaults(), user, 100);

  private ClientTransaction send(Flow flow) {
    SipRequest options = Sip.request("OPTIONS", Sip.via(flow.transport().viaName(), "pc33.atlanta.example.com", BRANCH),
        Sip.TO, 1);
    ClientTransaction tx = layer.sendRequest(options, flow, listener);
    assertSame(options, tx.request());
    assertEquals(flow, tx.flow());
    return tx;
  }

  private void receive(int status, String reason) {
    layer.onMessage(Sip.response(status, reason, BRANCH, 1, "OPTIONS"), Sip.UDP);
  }

  @Test
  void timerEDoublesUpToT2OnUdpAndTimerFTimesOutOnce() {
    ClientTransaction tx = send(Sip.UDP);

    clock.advanceMillis(40_000);

    // Intervals 500, 1000, 2000, 4000, 4000, ... (§17.1.2.2), until timer F at 64*T1 = 32 s.
    assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L),
        sender.timesOf("OPTIONS"));
    assertEquals(List.of("timeout@32000"), listener.events());
    assertTrue(tx.isTerminated());
    assertEquals(0, layer.size());
    assertEquals(0, clock.pending(), "no timer left behind");
  }

  @Test
  void noRetransmissionOnTcpAndTimerFStillTimesOut() {
    send(Sip.TCP);

    clock.advanceMillis(31_999);
    assertEquals(List.of(0L), sender.timesOf("OPTIONS"));
    assertEquals(List.of(), listener.events());

    clock.advanceMillis(100_000);
    assertEquals(List.of(0L), sender.timesOf("OPTIONS"));
    assertEquals(List.of("timeout@32000"), listener.events());
  }

  @Test
  void provisionalResponseMakesTimerERetransmitEveryT2() {
    send(Sip.UDP);
    clock.advanceMillis(600);
    receive(100, "Trying");

    clock.advanceMillis(9_400); // to 10 000
    // The timer E already pending (due 1500) fires in Proceeding and is reset to T2 (§17.1.2.2).
    assertEquals(List.of(0L, 500L, 1500L, 5500L, 9500L), sender.timesOf("OPTIONS"));
    receive(200, "OK");
    clock.advanceMillis(2_000);
    receive(200, "OK"); // retransmitted final: absorbed in Completed

    assertEquals(List.of("100@600", "200@10000"), listener.events());
    assertEquals(List.of(0L, 500L, 1500L, 5500L, 9500L), sender.timesOf("OPTIONS"));
    assertEquals(1, layer.size());
  }

  @Test
  void timerKEndsCompletedAfterT4OnUdp() {
    ClientTransaction tx = send(Sip.UDP);
    clock.advanceMillis(100);
    receive(200, "OK");

    clock.advanceMillis(4_999);
    assertFalse(tx.isTerminated());
    assertEquals(1, layer.size());
    clock.advanceMillis(1);
    assertTrue(tx.isTerminated());
    assertEquals(0, layer.size());

    // Now the final matches nothing: stray.
    receive(200, "OK");
    assertEquals(1, user.strays().size());
    assertEquals(List.of("200@100"), listener.events());
    clock.advanceMillis(60_000);
    assertEquals(List.of("200@100"), listener.events(), "no timeout after a final response");
  }

  @Test
  void finalResponseOnTcpTerminatesAtOnce() {
    ClientTransaction tx = send(Sip.TCP);
    receive(404, "Not Found");
    assertTrue(tx.isTerminated());
    assertEquals(0, layer.size());
    assertEquals(List.of("404@0"), listener.events());
  }

  @Test
  void failedSendIsOneTransportErrorAndNoTimeout() {
    IOException refused = new IOException("connection refused");
    sender.failWith(refused);

    ClientTransaction tx = send(Sip.TCP);
    clock.advanceMillis(60_000);

    assertEquals(List.of("error@0"), listener.events());
    assertSame(refused, listener.errors().get(0));
    assertTrue(tx.isTerminated());
    assertEquals(0, layer.size());
  }

  @Test
  void failedRetransmissionIsOneTransportError() {
    send(Sip.UDP);
    clock.advanceMillis(1_000);
    sender.failWith(new IOException("no route"));
    clock.advanceMillis(60_000);

    assertEquals(List.of(0L, 500L, 1500L), sender.timesOf("OPTIONS"));
    assertEquals(List.of("error@1500"), listener.events());
    assertEquals(0, layer.size());
  }

  @Test
  void responseWithAnotherCSeqMethodIsStray() {
    send(Sip.UDP);
    layer.onMessage(Sip.response(200, "OK", BRANCH, 1, "REGISTER"), Sip.UDP);
    assertEquals(List.of(), listener.events());
    assertEquals(1, user.strays().size());
    assertEquals(200, user.strays().get(0).response().status());
  }
}
