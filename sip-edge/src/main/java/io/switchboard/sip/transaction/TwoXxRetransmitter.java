package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transaction.TransactionTimers.Cancellable;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.SipSender;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UAS core's retransmission of a 2xx to INVITE (RFC 3261 §13.3.1.4), which the INVITE server
 * transaction leaves to its user (it goes to Accepted, RFC 6026 §7.1). The 2xx is sent at once
 * and again after T1, 2*T1, 4*T1, ... capped at T2, until {@link #ackReceived()}; if no ACK has
 * come 64*T1 after the first send, retransmission stops and {@code onNoAck} runs once, and the
 * dialog layer should then send BYE (§13.3.1.4).
 *
 * <p>On a reliable transport the 2xx is sent once, since the transport delivers it, but the ACK is
 * still awaited for 64*T1 (a proxy may forward it over UDP). Thread-safe; {@link #ackReceived()}
 * is idempotent, and so harmless after the give-up.
 */
public final class TwoXxRetransmitter {
  private static final Logger LOG = LoggerFactory.getLogger(TwoXxRetransmitter.class);

  private final SipResponse response;
  private final Flow flow;
  private final SipSender sender;
  private final TransactionTimers timers;
  private final TimerSettings settings;
  private final Runnable onNoAck;

  private final Object lock = new Object();
  private boolean active = true;
  private Duration interval;
  private int generation;
  private Cancellable retransmitTimer = Cancellable.NONE;
  private Cancellable giveUpTimer = Cancellable.NONE;

  private TwoXxRetransmitter(SipResponse response, Flow flow, SipSender sender, TransactionTimers timers,
                             TimerSettings settings, Runnable onNoAck) {
    this.response = response;
    this.flow = flow;
    this.sender = sender;
    this.timers = timers;
    this.settings = settings;
    this.onNoAck = onNoAck;
    this.interval = settings.t1();
  }

  /**
   * Sends {@code response} now and starts retransmitting it.
   *
   * @param onNoAck run once, on a timer thread, if no ACK arrives within 64*T1
   * @throws IllegalArgumentException if the response is not a 2xx
   */
  public static TwoXxRetransmitter start(SipResponse response, Flow flow, SipSender sender, TransactionTimers timers,
                                         TimerSettings settings, Runnable onNoAck) {
    return create(response, flow, sender, timers, settings, onNoAck, true);
  }

  /**
   * As {@link #start}, for a 2xx that was just sent already (through its server transaction's
   * {@code respond}): only the retransmissions and the give-up timer start, so the peer does not get
   * the same 2xx twice at once.
   */
  public static TwoXxRetransmitter afterFirstSend(SipResponse response, Flow flow, SipSender sender,
                                                  TransactionTimers timers, TimerSettings settings, Runnable onNoAck) {
    return create(response, flow, sender, timers, settings, onNoAck, false);
  }

  private static TwoXxRetransmitter create(SipResponse response, Flow flow, SipSender sender, TransactionTimers timers,
                                           TimerSettings settings, Runnable onNoAck, boolean sendNow) {
    Objects.requireNonNull(response, "response");
    if (response.status() < 200 || response.status() > 299) {
      throw new IllegalArgumentException("only 2xx responses are retransmitted by the UAS core, not " + response.status());
    }
    TwoXxRetransmitter r = new TwoXxRetransmitter(response, Objects.requireNonNull(flow, "flow"),
        Objects.requireNonNull(sender, "sender"), Objects.requireNonNull(timers, "timers"),
        Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(onNoAck, "onNoAck"));
    r.begin(sendNow);
    return r;
  }

  /** The ACK for this 2xx arrived: stop retransmitting, and never call onNoAck. */
  public void ackReceived() {
    synchronized (lock) {
      if (!active) {
        return;
      }
      stopLocked();
    }
    LOG.debug("2xx to {}: ACK received", flow);
  }

  /** True while the 2xx still waits for its ACK. */
  public boolean isActive() {
    synchronized (lock) {
      return active;
    }
  }

  private void begin(boolean sendNow) {
    synchronized (lock) {
      giveUpTimer = schedule(settings.sixtyFourT1(), this::giveUp);
      if (!flow.transport().reliable()) {
        scheduleRetransmitLocked();
      }
    }
    if (sendNow) {
      send();
    }
  }

  private void scheduleRetransmitLocked() {
    int current = ++generation;
    retransmitTimer = schedule(interval, () -> retransmit(current));
  }

  private void retransmit(int expectedGeneration) {
    synchronized (lock) {
      if (!active || expectedGeneration != generation) {
        return;
      }
      interval = settings.doubledCapped(interval);
      scheduleRetransmitLocked();
    }
    send();
  }

  private void giveUp() {
    synchronized (lock) {
      if (!active) {
        return;
      }
      stopLocked();
    }
    LOG.debug("2xx to {}: no ACK within 64*T1", flow);
    try {
      onNoAck.run();
    } catch (RuntimeException e) {
      LOG.warn("onNoAck failed", e);
    }
  }

  private void stopLocked() {
    active = false;
    generation++;
    retransmitTimer.cancel();
    giveUpTimer.cancel();
  }

  private void send() {
    try {
      sender.send(response, flow).whenComplete((ok, error) -> {
        if (error != null) {
          // A lost 2xx is what retransmission is for; the give-up timer bounds the wait either way.
          LOG.debug("2xx to {} not sent: {}", flow, error.toString());
        }
      });
    } catch (RuntimeException e) {
      LOG.debug("2xx to {} not sent: {}", flow, e.toString());
    }
  }

  private Cancellable schedule(Duration delay, Runnable task) {
    try {
      return timers.schedule(delay, task);
    } catch (IllegalStateException e) {
      LOG.debug("2xx to {}: timers shut down: {}", flow, e.toString());
      return Cancellable.NONE;
    }
  }
}
