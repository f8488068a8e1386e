package io.switchboard.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuthFailureLockoutTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  private final AuthFailureLockout lockout = new AuthFailureLockout(clock);

  private void fail(String key, int times, Duration apart) {
    for (int i = 0; i < times; i++) {
      if (i > 0) {
        clock.advance(apart);
      }
      lockout.recordFailure(key);
    }
  }

  @Test
  void fiveFailuresWithinAMinuteLockForFiveMinutes() {
    fail("198.51.100.7", 4, Duration.ofSeconds(10));
    assertFalse(lockout.isLocked("198.51.100.7"));
    clock.advance(Duration.ofSeconds(10));
    lockout.recordFailure("198.51.100.7");
    assertTrue(lockout.isLocked("198.51.100.7"));
    assertFalse(lockout.isLocked("198.51.100.8")); // keys are independent
    clock.advance(AuthFailureLockout.DEFAULT_LOCKOUT.minusMillis(1));
    assertTrue(lockout.isLocked("198.51.100.7"));
    clock.advance(Duration.ofMillis(1));
    assertFalse(lockout.isLocked("198.51.100.7"));
    // after the lockout the count starts afresh: one more failure does not re-lock
    lockout.recordFailure("198.51.100.7");
    assertFalse(lockout.isLocked("198.51.100.7"));
  }

  @Test
  void theWindowSlides() {
    // 15 s apart: the fifth failure is 60 s after the first, outside the window
    fail("alice@acme.test", 5, Duration.ofSeconds(15));
    assertFalse(lockout.isLocked("alice@acme.test"));
    // the sixth is 45 s after the second: five within the window
    clock.advance(Duration.ofSeconds(14));
    lockout.recordFailure("alice@acme.test");
    assertTrue(lockout.isLocked("alice@acme.test"));
  }

  @Test
  void failuresSpreadThinnerThanTheWindowNeverLock() {
    fail("k", 50, Duration.ofSeconds(16));
    assertFalse(lockout.isLocked("k"));
  }

  @Test
  void failuresDuringALockoutDoNotExtendIt() {
    fail("k", 5, Duration.ofSeconds(1));
    assertTrue(lockout.isLocked("k"));
    clock.advance(Duration.ofMinutes(4));
    fail("k", 10, Duration.ofSeconds(1));
    clock.advance(Duration.ofMinutes(1));
    assertFalse(lockout.isLocked("k"));
  }

  @Test
  void successForgetsFailuresButDoesNotLiftALockout() {
    fail("k", 4, Duration.ofSeconds(1));
    lockout.recordSuccess("k");
    lockout.recordFailure("k");
    assertFalse(lockout.isLocked("k"));
    fail("k", 4, Duration.ofSeconds(1));
    assertTrue(lockout.isLocked("k"));
    lockout.recordSuccess("k");
    assertTrue(lockout.isLocked("k"));
  }

  @Test
  void configurableThresholds() {
    AuthFailureLockout strict = new AuthFailureLockout(clock, 2, Duration.ofSeconds(10), Duration.ofSeconds(30), 10);
    strict.recordFailure("k");
    clock.advance(Duration.ofSeconds(9));
    strict.recordFailure("k");
    assertTrue(strict.isLocked("k"));
    clock.advance(Duration.ofSeconds(30));
    assertFalse(strict.isLocked("k"));
    assertThrows(IllegalArgumentException.class,
        () -> new AuthFailureLockout(clock, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 1));
    assertThrows(IllegalArgumentException.class,
        () -> new AuthFailureLockout(clock, 1, Duration.ZERO, Duration.ofSeconds(1), 1));
    assertThrows(IllegalArgumentException.class,
        () -> new AuthFailureLockout(clock, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
  }

  @Test
  void memoryIsBoundedAndLockoutsAreEvictedLast() {
    AuthFailureLockout small = new AuthFailureLockout(clock, 2, Duration.ofSeconds(60), Duration.ofMinutes(5), 4);
    small.recordFailure("locked");
    small.recordFailure("locked");
    assertTrue(small.isLocked("locked"));
    for (int i = 0; i < 1000; i++) {
      small.recordFailure("scanner-" + i);
      assertTrue(small.size() <= 4);
    }
    assertTrue(small.isLocked("locked"));
    assertEquals(4, small.size());
  }

  @Test
  void idleEntriesAreDropped() {
    lockout.recordFailure("k");
    assertEquals(1, lockout.size());
    clock.advance(AuthFailureLockout.DEFAULT_WINDOW);
    assertFalse(lockout.isLocked("k"));
    assertEquals(0, lockout.size());
  }

  @Test
  void concurrentUseStaysConsistent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 5000; i++) {
            lockout.recordFailure("shared");
            lockout.recordFailure("own-" + thread + "-" + i);
            lockout.isLocked("shared");
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(lockout.isLocked("shared"));
    assertFalse(lockout.isLocked("own-0-0"));
  }
}
