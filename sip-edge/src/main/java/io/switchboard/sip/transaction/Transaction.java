package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.transaction.TransactionTimers.Cancellable;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.SipSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the four state machines of RFC 3261 §17 share: a small lock guarding the state, effects
 * (sends, user callbacks) queued under the lock and run in order after it is released, timers that
 * are all cancelled on entering Terminated, and removal from the table at that point.
 *
 * <p>Subclasses follow one pattern in every entry point: take {@link #lock}, return if
 * {@link #isTerminated()}, change state and queue effects, release, then {@link #runEffects()}.
 */
abstract sealed class Transaction
    permits InviteClientTransaction, NonInviteClientTransaction, InviteServerTransaction, NonInviteServerTransaction {

  private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

  /** What the layer lends its transactions. {@code onTerminated} removes one from the table. */
  record Shared(SipSender sender, TransactionTimers timers, TimerSettings settings, Consumer<Transaction> onTerminated) {}

  protected final Object lock = new Object();
  protected final Shared shared;
  protected final TimerSettings settings;
  protected final TransactionKey key;
  protected final SipRequest request;
  protected final Flow flow;
  /** Reliable transports get no retransmissions and zero-length wait timers (§17.1.1.2, §17.1.2.2, §17.2). */
  protected final boolean reliable;

  private final SerialEffects effects = new SerialEffects();
  private final List<Cancellable> timers = new ArrayList<>(3);
  private volatile boolean terminated;

  // The retransmission timer (A, E or G): its current interval, and a generation that makes a
  // firing of a timer we already cancelled or replaced harmless (cancelling can lose the race).
  protected Duration retransmitInterval = Duration.ZERO;
  private Cancellable retransmitTimer = Cancellable.NONE;
  private int retransmitGeneration;

  Transaction(Shared shared, TransactionKey key, SipRequest request, Flow flow) {
    this.shared = shared;
    this.settings = shared.settings();
    this.key = key;
    this.request = request;
    this.flow = flow;
    this.reliable = flow.transport().reliable();
  }

  public final SipRequest request() {
    return request;
  }

  public final Flow flow() {
    return flow;
  }

  public final boolean isTerminated() {
    return terminated;
  }

  final TransactionKey key() {
    return key;
  }

  /** The state's name, for logs. */
  abstract String stateName();

  /** Timer A, E or G fired and is current; called under the lock. */
  protected abstract void retransmitLocked();

  /** A send of this transaction failed (the sender's stage failed or it threw). Takes the lock itself. */
  protected abstract void onSendFailure(SipMessage message, Throwable cause);

  // ---- effects: queue under the lock, run after it ----

  protected final void effect(Runnable effect) {
    effects.add(effect);
  }

  protected final void runEffects() {
    effects.run();
  }

  /** Queues {@code message} for sending on this transaction's flow; a failure comes back to {@link #onSendFailure}. */
  protected final void send(SipMessage message) {
    effect(() -> transmit(message));
  }

  private void transmit(SipMessage message) {
    SipSender sender = shared.sender();
    CompletionStage<Void> stage;
    try {
      stage = sender.send(message, flow);
    } catch (RuntimeException e) {
      sendFailed(message, e);
      return;
    }
    stage.whenComplete((ok, error) -> {
      if (error != null) {
        sendFailed(message, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
      }
    });
  }

  private void sendFailed(SipMessage message, Throwable cause) {
    LOG.debug("{}: send failed on {}: {}", this, flow, cause.toString());
    onSendFailure(message, cause);
  }

  // ---- timers ----

  /** Schedules a one-shot timer (B, D, F, H, I, J, K, L, M); the task takes the lock and checks state itself. */
  protected final void scheduleLocked(Duration delay, Runnable task) {
    timers.add(schedule(delay, task));
  }

  /** (Re)starts the retransmission timer with {@code interval}, replacing any pending one. */
  protected final void scheduleRetransmitLocked(Duration interval) {
    retransmitTimer.cancel();
    retransmitInterval = interval;
    int generation = ++retransmitGeneration;
    retransmitTimer = schedule(interval, () -> retransmitFired(generation));
  }

  protected final void cancelRetransmitLocked() {
    retransmitGeneration++;
    retransmitTimer.cancel();
    retransmitTimer = Cancellable.NONE;
  }

  protected final void cancelTimersLocked() {
    cancelRetransmitLocked();
    timers.forEach(Cancellable::cancel);
    timers.clear();
  }

  private void retransmitFired(int generation) {
    synchronized (lock) {
      if (terminated || generation != retransmitGeneration) {
        return;
      }
      retransmitLocked();
    }
    runEffects();
  }

  private Cancellable schedule(Duration delay, Runnable task) {
    try {
      return shared.timers().schedule(delay, task);
    } catch (IllegalStateException e) {
      // The timers were shut down with the layer: nothing will run any more anyway.
      LOG.debug("{}: timer not scheduled: {}", this, e.toString());
      return Cancellable.NONE;
    }
  }

  // ---- Terminated ----

  /** Enters Terminated (§17): timers off, and the transaction leaves the table once queued effects ran. */
  protected final void terminateLocked() {
    if (terminated) {
      return;
    }
    terminated = true;
    cancelTimersLocked();
    LOG.debug("{}: terminated", this);
    effect(() -> shared.onTerminated().accept(this));
  }

  /** The layer is closing: Terminated at once, without telling anyone. */
  final void abort() {
    synchronized (lock) {
      terminated = true;
      cancelTimersLocked();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + request.method() + " " + key + " " + (terminated ? "Terminated" : stateName()) + "]";
  }
}
