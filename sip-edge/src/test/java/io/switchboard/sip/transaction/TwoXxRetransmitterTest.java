package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RFC 3261 §13.3.1.4: the UAS core's 2xx retransmission and its 64*T1 give-up. */
class TwoXxRetransmitterTest {

  private final ManualTimers clock = new ManualTimers();
  private final RecordingSender sender = new RecordingSender(clock);
  private final AtomicInteger noAck = new AtomicInteger();
  private final SipRequest invite = Sip.invite("z9hG4bK74bf9", "UDP");
  private final SipResponse ok = SipMessages.withToTag(SipMessages.response(invite, 200), "8321234356");

  private TwoXxRetransmitter start(Flow flow) {
    return TwoXxRetransmitter.start(ok, flow, sender, clock, TimerSettings.defaults(), noAck::incrementAndGet);
  }

  @Test
  void retransmitsWithDoublingCappedAtT2AndGivesUpOnceAfter64T1() {
    TwoXxRetransmitter r = start(Sip.UDP);
    assertEquals(List.of(0L), sender.timesOf("200"), "sent at once");

    clock.advanceMillis(31_999);
    assertEquals(0, noAck.get());
    assertTrue(r.isActive());
    clock.advanceMillis(1);
    assertEquals(1, noAck.get());
    assertFalse(r.isActive());

    clock.advanceMillis(100_000);
    assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L),
        sender.timesOf("200"));
    assertEquals(1, noAck.get());
    assertTrue(sender.all().stream().allMatch(s -> s.message() == ok && s.flow().equals(Sip.UDP)));
    r.ackReceived(); // too late: harmless
    assertEquals(1, noAck.get());
    assertEquals(0, clock.pending());
  }

  @Test
  void afterTheTransactionSentTheFirst2xxOnlyTheRetransmissionsFollow() {
    TwoXxRetransmitter r = TwoXxRetransmitter.afterFirstSend(ok, Sip.UDP, sender, clock, TimerSettings.defaults(),
        noAck::incrementAndGet);
    assertEquals(List.of(), sender.timesOf("200"), "not sent again at once");
    clock.advanceMillis(2_000);
    r.ackReceived();
    clock.advanceMillis(100_000);
    assertEquals(List.of(500L, 1500L), sender.timesOf("200"));
    assertEquals(0, noAck.get());
  }

  @Test
  void ackStopsRetransmissionAndTheGiveUp() {
    TwoXxRetransmitter r = start(Sip.UDP);
    clock.advanceMillis(2_000);
    r.ackReceived();
    r.ackReceived();
    clock.advanceMillis(100_000);

    assertEquals(List.of(0L, 500L, 1500L), sender.timesOf("200"));
    assertEquals(0, noAck.get());
    assertFalse(r.isActive());
    assertEquals(0, clock.pending());
  }

  @Test
  void reliableTransportSendsOnceButStillWaitsForTheAck() {
    start(Sip.TCP);
    clock.advanceMillis(31_999);
    assertEquals(0, noAck.get());
    clock.advanceMillis(1);
    assertEquals(1, noAck.get());
    assertEquals(List.of(0L), sender.timesOf("200"));
  }

  @Test
  void smallerT2CapsEarlier() {
    TimerSettings fast = new TimerSettings(Duration.ofMillis(100), Duration.ofMillis(300),
        Duration.ofMillis(500));
    TwoXxRetransmitter.start(ok, Sip.UDP, sender, clock, fast, noAck::incrementAndGet);
    clock.advanceMillis(1_300);
    assertEquals(List.of(0L, 100L, 300L, 600L, 900L, 1200L), sender.timesOf("200"));
    clock.advanceMillis(5_100); // 64*T1 = 6.4 s
    assertEquals(1, noAck.get());
  }

  @Test
  void rejectsNon2xx() {
    SipResponse busy = SipMessages.response(invite, 486);
    assertThrows(IllegalArgumentException.class,
        () -> TwoXxRetransmitter.start(busy, Sip.UDP, sender, clock, TimerSettings.defaults(), () -> { }));
    assertEquals(0, sender.count());
  }
}
