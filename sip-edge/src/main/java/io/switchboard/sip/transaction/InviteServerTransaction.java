package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INVITE server transaction: RFC 3261 §17.2.1 with the Accepted state of RFC 6026 §7.1.
 *
 * <pre>
 * Proceeding --1xx: send--> Proceeding        (INVITE retransmission: resend last provisional)
 * Proceeding --2xx: send--> Accepted --timer L--> Terminated   (INVITE absorbed, ACK to the TU)
 * Proceeding --300-699: send--> Completed --ACK--> Confirmed --timer I--> Terminated
 *                               Completed: timer G resends, INVITE resends, timer H --> Terminated
 * </pre>
 */
final class InviteServerTransaction extends Transaction implements ServerTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(InviteServerTransaction.class);

  private enum State { PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED }

  private volatile State state = State.PROCEEDING;
  /**
   * The most recent response sent, resent for a retransmitted INVITE. It starts as the 100 Trying,
   * set before the transaction is published in the table: another event loop may match a
   * retransmission to it before {@link #start()} has run.
   */
  private SipResponse lastResponse;

  InviteServerTransaction(Shared shared, TransactionKey key, SipRequest invite, Flow flow) {
    super(shared, key, invite, flow);
    this.lastResponse = SipMessages.response(invite, 100);
  }

  /**
   * §17.2.1: the transaction answers 100 Trying itself unless the TU answers within 200 ms. Sending
   * it at once, before the TU has even seen the request, is the simple choice that never races the
   * TU's own responses and stops the client's timer A at the earliest moment.
   */
  void start() {
    synchronized (lock) {
      if (isTerminated() || state != State.PROCEEDING) {
        return; // the TU cannot have answered yet, but a closed layer may have aborted us
      }
      send(lastResponse);
    }
    runEffects();
  }

  @Override
  public void respond(SipResponse response) {
    Objects.requireNonNull(response, "response");
    synchronized (lock) {
      if (isTerminated() || state != State.PROCEEDING) {
        LOG.debug("{}: ignoring {} after the final response", this, response.status());
        return;
      }
      lastResponse = response;
      send(response);
      int status = response.status();
      if (status >= 200 && status < 300) {
        // RFC 6026 §7.1: Accepted for timer L = 64*T1, so that retransmitted INVITEs are absorbed
        // instead of reaching the TU as new requests while the UAS core retransmits the 2xx.
        state = State.ACCEPTED;
        scheduleLocked(settings.sixtyFourT1(), this::onTimerL);
      } else if (status >= 300) {
        state = State.COMPLETED;
        if (!reliable) {
          scheduleRetransmitLocked(settings.t1()); // timer G
        }
        scheduleLocked(settings.sixtyFourT1(), this::onTimerH);
      }
    }
    runEffects();
  }

  @Override
  public boolean isFinal() {
    return state != State.PROCEEDING;
  }

  /** A retransmission of the INVITE (§17.2.1). */
  void onRetransmission() {
    synchronized (lock) {
      if (isTerminated()) {
        return;
      }
      switch (state) {
        // Proceeding: the most recent provisional; Completed: the final response.
        case PROCEEDING, COMPLETED -> send(lastResponse);
        // Confirmed absorbs everything; Accepted absorbs INVITEs (RFC 6026 §7.1): the UAS core
        // retransmits the 2xx on its own schedule.
        case CONFIRMED, ACCEPTED -> LOG.debug("{}: absorbed a retransmitted INVITE", this);
        default -> throw new IllegalStateException(state.name());
      }
    }
    runEffects();
  }

  /**
   * An ACK that matched this transaction (§17.2.3). Returns true if the transaction absorbed it:
   * the ACK for a non-2xx in Completed (→ Confirmed) or a repeat in Confirmed. False means the TU
   * must see it: in Accepted it is the ACK for the 2xx (RFC 6026 §7.1), and once Terminated the
   * transaction no longer exists as far as matching goes.
   */
  boolean onAck() {
    synchronized (lock) {
      if (isTerminated() || state == State.ACCEPTED) {
        return false;
      }
      if (state == State.COMPLETED) {
        // §17.2.1: stop retransmitting (G) and waiting for the ACK (H); timer I absorbs the ACK
        // retransmissions, zero on reliable transports.
        cancelTimersLocked();
        state = State.CONFIRMED;
        if (reliable) {
          terminateLocked();
        } else {
          scheduleLocked(settings.t4(), this::onTimerI);
        }
      } else if (state == State.PROCEEDING) {
        LOG.debug("{}: dropped an ACK that arrived before any final response", this);
      }
    }
    runEffects();
    return true;
  }

  /** The To tag of the final response sent, "" before one; the RFC 2543 ACK matching needs it (§17.2.3). */
  String finalToTag() {
    synchronized (lock) {
      return state == State.PROCEEDING ? "" : TransactionKey.tag(SipMessages.to(lastResponse));
    }
  }

  /** Timer G: resend the non-2xx final, interval doubling up to T2 (§17.2.1). */
  @Override
  protected void retransmitLocked() {
    if (state != State.COMPLETED) {
      return;
    }
    LOG.debug("{}: timer G, resending {} after {}", this, lastResponse.status(), retransmitInterval);
    send(lastResponse);
    scheduleRetransmitLocked(settings.doubledCapped(retransmitInterval));
  }

  /** Timer H: no ACK within 64*T1; the transaction just ends (§17.2.1). */
  private void onTimerH() {
    synchronized (lock) {
      if (isTerminated() || state != State.COMPLETED) {
        return;
      }
      LOG.debug("{}: timer H, no ACK for {}", this, lastResponse.status());
      terminateLocked();
    }
    runEffects();
  }

  private void onTimerI() {
    synchronized (lock) {
      terminateLocked();
    }
    runEffects();
  }

  private void onTimerL() {
    synchronized (lock) {
      terminateLocked();
    }
    runEffects();
  }

  /**
   * §17.2.4 would have the TU told of a failure to send a response. The {@link TransactionUser}
   * contract has no such callback, and ending the transaction here would make the client's next
   * retransmission look like a new request; so the failure is logged and the timers run their course.
   */
  @Override
  protected void onSendFailure(SipMessage message, Throwable cause) {
    LOG.debug("{}: could not send a response: {}", this, cause.toString());
  }

  @Override
  String stateName() {
    return state.name();
  }
}
