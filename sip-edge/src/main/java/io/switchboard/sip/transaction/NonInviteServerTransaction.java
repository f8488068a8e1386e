package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-INVITE server transaction, RFC 3261 §17.2.2.
 *
 * <pre>
 * Trying --1xx: send--> Proceeding --200-699: send--> Completed --timer J--> Terminated
 *    +--------------------200-699: send----^
 * Retransmitted request: discarded in Trying, answered with the last response afterwards.
 * </pre>
 */
final class NonInviteServerTransaction extends Transaction implements ServerTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(NonInviteServerTransaction.class);

  private enum State { TRYING, PROCEEDING, COMPLETED }

  private volatile State state = State.TRYING;
  /** The most recent response sent; null in Trying. */
  private SipResponse lastResponse;

  NonInviteServerTransaction(Shared shared, TransactionKey key, SipRequest request, Flow flow) {
    super(shared, key, request, flow);
  }

  @Override
  public void respond(SipResponse response) {
    Objects.requireNonNull(response, "response");
    synchronized (lock) {
      if (isTerminated() || state == State.COMPLETED) {
        LOG.debug("{}: ignoring {} after the final response", this, response.status());
        return;
      }
      lastResponse = response;
      send(response);
      if (response.status() < 200) {
        state = State.PROCEEDING;
      } else {
        state = State.COMPLETED;
        // Timer J absorbs request retransmissions for 64*T1 on unreliable transports, zero otherwise.
        if (reliable) {
          terminateLocked();
        } else {
          scheduleLocked(settings.sixtyFourT1(), this::onTimerJ);
        }
      }
    }
    runEffects();
  }

  @Override
  public boolean isFinal() {
    return state == State.COMPLETED;
  }

  /** A retransmission of the request (§17.2.2). */
  void onRetransmission() {
    synchronized (lock) {
      if (isTerminated()) {
        return;
      }
      if (state == State.TRYING) {
        // §17.2.2: "any retransmissions of the request received while in the Trying state MUST
        // be discarded" (the TU has not answered; there is nothing to resend).
        LOG.debug("{}: discarded a retransmission in Trying", this);
        return;
      }
      send(lastResponse);
    }
    runEffects();
  }

  private void onTimerJ() {
    synchronized (lock) {
      terminateLocked();
    }
    runEffects();
  }

  /** Non-INVITE servers never retransmit responses on their own (§17.2.2). */
  @Override
  protected void retransmitLocked() {
    // no timer of this kind is ever scheduled
  }

  /** See {@link InviteServerTransaction#onSendFailure}: logged, the timers run their course. */
  @Override
  protected void onSendFailure(SipMessage message, Throwable cause) {
    LOG.debug("{}: could not send a response: {}", this, cause.toString());
  }

  @Override
  String stateName() {
    return state.name();
  }
}
