package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;

/** A server transaction (RFC 3261 §17.2) as its user sees it. Thread-safe. */
public interface ServerTransaction {

  SipRequest request();

  /** Where the request came from; responses go back along it (§18.2.2). */
  Flow flow();

  /**
   * Sends a response through the transaction: provisional ones may repeat; the first final one
   * moves it to Completed (non-2xx, retransmitted on unreliable transports until ACK for INVITE)
   * or, for a 2xx to INVITE, to Accepted (RFC 6026): the 2xx itself is then retransmitted by the
   * dialog layer ({@link TwoXxRetransmitter}). Responses after the final one are ignored.
   */
  void respond(SipResponse response);

  /** True once a final response was sent. */
  boolean isFinal();
}
