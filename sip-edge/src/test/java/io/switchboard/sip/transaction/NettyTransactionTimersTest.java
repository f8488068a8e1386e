package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The production timers, in real time but briefly. */
class NettyTransactionTimersTest {

  @Test
  void runsScheduledTasksAndNotCancelledOnes() throws Exception {
    try (NettyTransactionTimers timers = new NettyTransactionTimers()) {
      CountDownLatch ran = new CountDownLatch(1);
      AtomicInteger cancelledRuns = new AtomicInteger();
      long start = System.nanoTime();
      timers.schedule(Duration.ofMillis(20), () -> cancelledRuns.incrementAndGet()).cancel();
      timers.schedule(Duration.ofMillis(50), ran::countDown);

      assertTrue(ran.await(5, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40), "not run early (10 ms ticks)");
      assertEquals(0, cancelledRuns.get());
    }
  }

  @Test
  void closeStopsTheWheel() throws Exception {
    NettyTransactionTimers timers = new NettyTransactionTimers();
    CountDownLatch ran = new CountDownLatch(1);
    timers.schedule(Duration.ofMillis(200), ran::countDown);
    timers.close();
    assertFalse(ran.await(400, TimeUnit.MILLISECONDS));
    assertThrows(IllegalStateException.class, () -> timers.schedule(Duration.ofMillis(1), () -> { }));
  }
}
