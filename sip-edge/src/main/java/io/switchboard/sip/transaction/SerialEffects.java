package io.switchboard.sip.transaction;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side effects of one transaction (sends, user callbacks), run in the order its state machine
 * produced them but outside its lock. A transaction adds effects while it holds its lock, so queue
 * order is transition order; whichever thread then calls {@link #run()} drains the queue, one
 * thread at a time. So a user never sees a 200 before the 180 that preceded it, and no lock is
 * held while calling the user or the transport. An effect that calls back into the same
 * transaction (a user responding from its callback) just queues more work for the running drain.
 */
final class SerialEffects {
  private static final Logger LOG = LoggerFactory.getLogger(SerialEffects.class);

  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  void add(Runnable effect) {
    queue.add(effect);
  }

  void run() {
    // Re-check after releasing: an effect added while we drained, whose adder lost the race for
    // the flag, would otherwise sit in the queue until the next event.
    while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
      try {
        Runnable effect;
        while ((effect = queue.poll()) != null) {
          runSafely(effect);
        }
      } finally {
        draining.set(false);
      }
    }
  }

  private static void runSafely(Runnable effect) {
    try {
      effect.run();
    } catch (RuntimeException e) {
      // A failing user callback must not kill a Netty event loop or the timer thread, nor stop
      // the effects queued behind it.
      LOG.warn("SIP transaction effect failed", e);
    }
  }
}
