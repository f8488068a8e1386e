package io.switchboard.sip.transaction;

import java.time.Duration;

/**
 * Where transactions schedule their timers (RFC 3261 §17, Table 4). Production uses
 * {@link NettyTransactionTimers}; tests use a virtual clock so that 32-second timers run instantly.
 * Tasks run on a timer thread and must not block; they are never run inline by {@link #schedule}.
 */
public interface TransactionTimers {

  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @throws IllegalStateException if the timers were shut down
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that may still be called off; cancelling twice or after it ran does nothing. */
  @FunctionalInterface
  interface Cancellable {

    /** Nothing to cancel. */
    Cancellable NONE = () -> { };

    void cancel();
  }
}
