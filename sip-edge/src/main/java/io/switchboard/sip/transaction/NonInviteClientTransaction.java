package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-INVITE client transaction, RFC 3261 §17.1.2.
 *
 * <pre>
 * Trying --1xx--> Proceeding --200-699--> Completed --timer K--> Terminated
 *    +------------200-699------^
 * Trying/Proceeding --timer F / transport error--> Terminated
 * </pre>
 */
final class NonInviteClientTransaction extends Transaction implements ClientTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(NonInviteClientTransaction.class);

  private enum State { TRYING, PROCEEDING, COMPLETED }

  private final ClientTransactionListener listener;
  private volatile State state = State.TRYING;

  NonInviteClientTransaction(Shared shared, TransactionKey key, SipRequest request, Flow flow,
                             ClientTransactionListener listener) {
    super(shared, key, request, flow);
    this.listener = listener;
  }

  void start() {
    synchronized (lock) {
      // The transaction is in the table before it sends; only a forged response could overtake
      // the request, but then there is nothing left to start.
      if (isTerminated() || state != State.TRYING) {
        return;
      }
      // §17.1.2.2: timer E (T1) only on unreliable transports; timer F (64*T1) always.
      if (!reliable) {
        scheduleRetransmitLocked(settings.t1());
      }
      scheduleLocked(settings.sixtyFourT1(), this::onTimerF);
      send(request);
    }
    runEffects();
  }

  /**
   * Timer E: in Trying the interval doubles up to T2; once a provisional response arrived the
   * request is retransmitted every T2 (§17.1.2.2), so that it still gets through if a response is lost.
   */
  @Override
  protected void retransmitLocked() {
    if (state == State.COMPLETED) {
      return;
    }
    LOG.debug("{}: timer E, retransmitting after {}", this, retransmitInterval);
    send(request);
    scheduleRetransmitLocked(state == State.TRYING ? settings.doubledCapped(retransmitInterval) : settings.t2());
  }

  /** Timer F: no final response within 64*T1, the TU gets a timeout (§17.1.2.2). */
  private void onTimerF() {
    synchronized (lock) {
      if (isTerminated() || state == State.COMPLETED) {
        return;
      }
      LOG.debug("{}: timer F, timing out", this);
      effect(listener::onTimeout);
      terminateLocked();
    }
    runEffects();
  }

  /** Timer K: stop absorbing retransmitted final responses. */
  private void onTimerK() {
    synchronized (lock) {
      terminateLocked();
    }
    runEffects();
  }

  boolean onResponse(SipResponse response) {
    synchronized (lock) {
      if (isTerminated()) {
        return false;
      }
      if (state == State.COMPLETED) {
        return true; // §17.1.2.2: retransmitted finals are absorbed in Completed
      }
      effect(() -> listener.onResponse(response));
      if (response.status() < 200) {
        state = State.PROCEEDING;
      } else {
        completedLocked();
      }
    }
    runEffects();
    return true;
  }

  private void completedLocked() {
    cancelTimersLocked();
    state = State.COMPLETED;
    if (reliable) {
      terminateLocked(); // timer K is zero on reliable transports
    } else {
      scheduleLocked(settings.t4(), this::onTimerK);
    }
  }

  /** §17.1.2.2: a transport error in Trying or Proceeding is reported, and the transaction ends. */
  @Override
  protected void onSendFailure(SipMessage message, Throwable cause) {
    synchronized (lock) {
      if (isTerminated() || state == State.COMPLETED) {
        return;
      }
      effect(() -> listener.onTransportError(cause));
      terminateLocked();
    }
    runEffects();
  }

  @Override
  String stateName() {
    return state.name();
  }
}
