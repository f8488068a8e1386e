package io.switchboard.sip.transaction;

import io.switchboard.sip.message.CSeq;
import io.switchboard.sip.message.SipBody;
import io.switchboard.sip.message.SipHeader;
import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipHeaders;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INVITE client transaction: RFC 3261 §17.1.1 with the Accepted state of RFC 6026 §7.2.
 *
 * <pre>
 * Calling --1xx--> Proceeding --2xx--> Accepted --timer M--> Terminated
 *    |  \-------------2xx--------------^  (2xx retransmissions to the TU)
 *    +--300-699 (from Calling or Proceeding): ACK sent --> Completed --timer D--> Terminated
 *    +--timer B / transport error--> Terminated
 * </pre>
 */
final class InviteClientTransaction extends Transaction implements ClientTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(InviteClientTransaction.class);

  private enum State { CALLING, PROCEEDING, COMPLETED, ACCEPTED }

  private final ClientTransactionListener listener;
  private volatile State state = State.CALLING;
  /** The ACK for the non-2xx final, built once in Completed and resent for each retransmission of it. */
  private SipRequest ack;

  InviteClientTransaction(Shared shared, TransactionKey key, SipRequest invite, Flow flow,
                          ClientTransactionListener listener) {
    super(shared, key, invite, flow);
    this.listener = listener;
  }

  void start() {
    synchronized (lock) {
      // The transaction is in the table before it sends; only a forged response could overtake
      // the request, but then there is nothing left to start.
      if (isTerminated() || state != State.CALLING) {
        return;
      }
      // §17.1.1.2: timer A only on unreliable transports, timer B always, both 64*T1 bounded.
      if (!reliable) {
        scheduleRetransmitLocked(settings.t1());
      }
      scheduleLocked(settings.sixtyFourT1(), this::onTimerB);
      send(request);
    }
    runEffects();
  }

  /** Timer A: retransmit and double, with no T2 cap for INVITE (§17.1.1.2). */
  @Override
  protected void retransmitLocked() {
    if (state != State.CALLING) {
      return;
    }
    LOG.debug("{}: timer A, retransmitting after {}", this, retransmitInterval);
    send(request);
    scheduleRetransmitLocked(retransmitInterval.multipliedBy(2));
  }

  /** Timer B: still Calling after 64*T1, so the TU gets a timeout (it reports 408, §8.1.3.1). */
  private void onTimerB() {
    synchronized (lock) {
      if (isTerminated() || state != State.CALLING) {
        return;
      }
      LOG.debug("{}: timer B, timing out", this);
      effect(listener::onTimeout);
      terminateLocked();
    }
    runEffects();
  }

  /** Timer D (Completed) or M (Accepted): stop absorbing retransmitted responses. */
  private void onWaitOver() {
    synchronized (lock) {
      terminateLocked();
    }
    runEffects();
  }

  /** A response matched this transaction (§17.1.3); false if it is already Terminated. */
  boolean onResponse(SipResponse response) {
    synchronized (lock) {
      if (isTerminated()) {
        return false;
      }
      int status = response.status();
      switch (state) {
        case CALLING, PROCEEDING -> {
          if (status < 200) {
            proceedingLocked(response);
          } else if (status < 300) {
            acceptedLocked(response);
          } else {
            completedLocked(response);
          }
        }
        case COMPLETED -> {
          // §17.1.1.2: each retransmission of the final response gets the same ACK again and is
          // not passed up. Anything else here is late noise.
          if (status >= 300) {
            send(ack);
          }
        }
        case ACCEPTED -> {
          // RFC 6026 §7.2 / §8.4: 2xx retransmissions (and 2xx from other forks) go to the TU,
          // which ACKs each one; the transaction itself never ACKs a 2xx.
          if (status >= 200 && status < 300) {
            effect(() -> listener.onResponse(response));
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
    }
    runEffects();
    return true;
  }

  private void proceedingLocked(SipResponse response) {
    if (state == State.CALLING) {
      // §17.1.1.2: in Proceeding the INVITE is no longer retransmitted and timer B no longer
      // applies (the TU ends a ringing call with CANCEL).
      cancelTimersLocked();
      state = State.PROCEEDING;
    }
    effect(() -> listener.onResponse(response));
  }

  private void acceptedLocked(SipResponse response) {
    cancelTimersLocked();
    state = State.ACCEPTED;
    effect(() -> listener.onResponse(response));
    // RFC 6026 §7.2: timer M = 64*T1 keeps absorbing-and-forwarding 2xx retransmissions.
    scheduleLocked(settings.sixtyFourT1(), this::onWaitOver);
  }

  private void completedLocked(SipResponse response) {
    cancelTimersLocked();
    state = State.COMPLETED;
    ack = ackFor(request, response);
    // Figure 5: "300-699 / ACK sent, resp. to TU".
    send(ack);
    effect(() -> listener.onResponse(response));
    if (reliable) {
      terminateLocked(); // timer D is zero on reliable transports: no retransmissions to absorb
    } else {
      scheduleLocked(settings.timerD(), this::onWaitOver);
    }
  }

  /**
   * A transport error in Calling ends the transaction and is reported (§17.1.1.2, §17.1.4). A
   * failure to send the ACK for a non-2xx is not: the listener already has the final response,
   * and its onTransportError means "the request could not be sent" (a 503), which would be a
   * second final outcome. The transaction just ends.
   */
  @Override
  protected void onSendFailure(SipMessage message, Throwable cause) {
    synchronized (lock) {
      if (isTerminated()) {
        return;
      }
      if (state == State.CALLING && message == request) {
        effect(() -> listener.onTransportError(cause));
        terminateLocked();
      } else if (state == State.COMPLETED && message == ack) {
        terminateLocked();
      }
    }
    runEffects();
  }

  /**
   * The ACK for a non-2xx final response, §17.1.1.3: Request-URI, Call-ID and From of the INVITE,
   * To of the response (it carries the UAS's tag), CSeq number of the INVITE with method ACK, the
   * INVITE's top Via only (so it matches the server transaction, §17.2.3), and the INVITE's Route
   * header fields. Max-Forwards is required in every request (§8.1.1.6).
   */
  static SipRequest ackFor(SipRequest invite, SipResponse response) {
    SipHeaders h = invite.headers();
    List<SipHeader> out = new ArrayList<>();
    out.add(new SipHeader(SipHeaderNames.VIA, h.values(SipHeaderNames.VIA).get(0)));
    out.addAll(h.all(SipHeaderNames.ROUTE));
    out.add(new SipHeader(SipHeaderNames.MAX_FORWARDS, "70"));
    h.first(SipHeaderNames.FROM).ifPresent(v -> out.add(new SipHeader(SipHeaderNames.FROM, v)));
    response.headers().first(SipHeaderNames.TO).ifPresent(v -> out.add(new SipHeader(SipHeaderNames.TO, v)));
    h.first(SipHeaderNames.CALL_ID).ifPresent(v -> out.add(new SipHeader(SipHeaderNames.CALL_ID, v)));
    long number = SipMessages.cseq(invite).map(CSeq::number).orElseThrow();
    out.add(new SipHeader(SipHeaderNames.CSEQ, new CSeq(number, "ACK").toString()));
    out.add(new SipHeader(SipHeaderNames.CONTENT_LENGTH, "0"));
    return new SipRequest("ACK", invite.requestUri(), invite.version(), new SipHeaders(out), SipBody.EMPTY);
  }

  @Override
  String stateName() {
    return state.name();
  }
}
