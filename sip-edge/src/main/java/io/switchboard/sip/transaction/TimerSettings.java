package io.switchboard.sip.transaction;

import java.time.Duration;
import java.util.Objects;

/**
 * The base timer values of RFC 3261 §17 (Table 4, §A): T1 is the RTT estimate, T2 the cap on
 * retransmit intervals of non-INVITE requests and INVITE responses, T4 how long a message may
 * linger in the network. Every other timer derives from them.
 */
public record TimerSettings(Duration t1, Duration t2, Duration t4) {

  /** §17.1.1.1 recommends T1 = 500 ms; Table 4 gives T2 = 4 s and T4 = 5 s. */
  private static final TimerSettings DEFAULTS =
      new TimerSettings(Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5));

  /** Timer D must cover the server's retransmissions of a final response: "> 32 s" for UDP (Table 4). */
  private static final Duration MIN_TIMER_D = Duration.ofSeconds(32);

  public TimerSettings {
    Objects.requireNonNull(t1, "t1");
    Objects.requireNonNull(t2, "t2");
    Objects.requireNonNull(t4, "t4");
    requirePositive("T1", t1);
    requirePositive("T2", t2);
    requirePositive("T4", t4);
    if (t2.compareTo(t1) < 0) {
      // T2 caps intervals that start at T1 (§17.1.2.2): a cap below the start is meaningless.
      throw new IllegalArgumentException("T2 (" + t2 + ") must not be less than T1 (" + t1 + ")");
    }
  }

  public static TimerSettings defaults() {
    return DEFAULTS;
  }

  /** 64*T1: timers B, F, H, L, M, J on unreliable transports, and the 2xx give-up of §13.3.1.4. */
  public Duration sixtyFourT1() {
    return t1.multipliedBy(64);
  }

  /** Timer D on unreliable transports: at least 32 s, and never shorter than the server's 64*T1. */
  public Duration timerD() {
    Duration d = sixtyFourT1();
    return d.compareTo(MIN_TIMER_D) > 0 ? d : MIN_TIMER_D;
  }

  /** The next retransmit interval: doubled, capped at T2 (§17.1.2.2 timer E, §17.2.1 timer G, §13.3.1.4). */
  Duration doubledCapped(Duration interval) {
    Duration doubled = interval.multipliedBy(2);
    return doubled.compareTo(t2) > 0 ? t2 : doubled;
  }

  private static void requirePositive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }
}
