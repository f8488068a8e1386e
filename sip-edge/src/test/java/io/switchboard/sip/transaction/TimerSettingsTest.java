package io.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerSettingsTest {

  @Test
  void defaultsAreThoseOfRfc3261Table4() {
    TimerSettings d = TimerSettings.defaults();
    assertEquals(Duration.ofMillis(500), d.t1());
    assertEquals(Duration.ofSeconds(4), d.t2());
    assertEquals(Duration.ofSeconds(5), d.t4());
    assertEquals(Duration.ofSeconds(32), d.sixtyFourT1());
    assertEquals(Duration.ofSeconds(32), d.timerD());
  }

  @Test
  void timerDIsAtLeast32SecondsAndCoversTheServer() {
    Duration s = Duration.ofSeconds(1);
    assertEquals(Duration.ofSeconds(32), new TimerSettings(Duration.ofMillis(100), s, s).timerD());
    assertEquals(Duration.ofSeconds(64), new TimerSettings(s, Duration.ofSeconds(4), s).timerD());
  }

  @Test
  void doublingIsCappedAtT2() {
    TimerSettings d = TimerSettings.defaults();
    assertEquals(Duration.ofMillis(1000), d.doubledCapped(Duration.ofMillis(500)));
    assertEquals(Duration.ofMillis(4000), d.doubledCapped(Duration.ofMillis(2000)));
    assertEquals(Duration.ofMillis(4000), d.doubledCapped(Duration.ofMillis(4000)));
  }

  @Test
  void rejectsNonPositiveAndT2BelowT1() {
    Duration s = Duration.ofSeconds(1);
    assertThrows(IllegalArgumentException.class, () -> new TimerSettings(Duration.ZERO, s, s));
    assertThrows(IllegalArgumentException.class, () -> new TimerSettings(s, Duration.ofMillis(-1), s));
    assertThrows(IllegalArgumentException.class, () -> new TimerSettings(s, s, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new TimerSettings(s, Duration.ofMillis(999), s));
    assertThrows(NullPointerException.class, () -> new TimerSettings(null, s, s));
    new TimerSettings(s, s, s); // T2 == T1 is fine
  }
}
