package io.switchboard.sip.transaction;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@link TransactionTimers} on a Netty {@link HashedWheelTimer} with 10 ms ticks: SIP timers are
 * hundreds of milliseconds or more, and a wheel holds hundreds of thousands of them cheaply, where
 * a scheduled executor would pay O(log n) per timer and keep cancelled ones around. Tasks run on
 * the single wheel thread, so they must be short and never block (the transactions only send and
 * notify). {@link #close()} stops the thread; scheduling afterwards throws IllegalStateException.
 */
public final class NettyTransactionTimers implements TransactionTimers, AutoCloseable {

  private static final long TICK_MILLIS = 10;

  private final HashedWheelTimer wheel;

  public NettyTransactionTimers() {
    this.wheel = new HashedWheelTimer(
        new DefaultThreadFactory("sip-transaction-timers", true), TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Timeout timeout = wheel.newTimeout(t -> task.run(), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return timeout::cancel;
  }

  @Override
  public void close() {
    wheel.stop();
  }
}
