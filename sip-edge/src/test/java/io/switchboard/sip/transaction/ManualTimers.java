package io.switchboard.sip.transaction;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A virtual clock for {@link TransactionTimers}: nothing runs until {@link #advance}, which runs
 * the due tasks in time order (ties in scheduling order) with {@link #now()} set to each task's
 * due time. So a 32-second timer test takes microseconds and always interleaves the same way.
 * Thread-safe; tasks run on the advancing thread, outside the clock's lock.
 */
final class ManualTimers implements TransactionTimers {

  private record Entry(long dueMillis, long seq, Runnable task) {}

  private final Object lock = new Object();
  private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> a.dueMillis != b.dueMillis
      ? Long.compare(a.dueMillis, b.dueMillis) : Long.compare(a.seq, b.seq));
  private long nowMillis;
  private long seq;

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    synchronized (lock) {
      Entry e = new Entry(nowMillis + Math.max(0, delay.toMillis()), seq++, task);
      queue.add(e);
      return () -> {
        synchronized (lock) {
          queue.remove(e);
        }
      };
    }
  }

  /** Milliseconds since the clock started. */
  long now() {
    synchronized (lock) {
      return nowMillis;
    }
  }

  void advance(Duration by) {
    advanceTo(now() + by.toMillis());
  }

  void advanceMillis(long by) {
    advanceTo(now() + by);
  }

  /** Runs every task due at or before {@code targetMillis}, including those they schedule. */
  void advanceTo(long targetMillis) {
    while (true) {
      Entry next;
      synchronized (lock) {
        next = queue.peek();
        if (next == null || next.dueMillis > targetMillis) {
          nowMillis = Math.max(nowMillis, targetMillis);
          return;
        }
        queue.poll();
        nowMillis = next.dueMillis;
      }
      next.task.run();
    }
  }

  int pending() {
    synchronized (lock) {
      return queue.size();
    }
  }
}
