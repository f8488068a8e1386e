package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.transport.Flow;

/**
 * The layer above the transactions (RFC 3261 §17): the registrar and the B2BUA. Called on transport
 * threads; implementations must not block (hand work to actors or async stages).
 */
public interface TransactionUser {

  /**
   * A new request (never a retransmission): the server transaction exists already and answers
   * retransmissions itself. CANCEL arrives here too, with its own non-INVITE transaction; see
   * {@link TransactionLayer#findInviteServerTransaction}.
   */
  void onRequest(ServerTransaction transaction, SipRequest request);

  /** An ACK that matched no server transaction: the ACK for a 2xx, which belongs to the dialog (§13.3.1.4, §17.2.3). */
  void onAck(SipRequest ack, Flow flow);

  /**
   * A response that matched no client transaction: notably a retransmitted 2xx to an INVITE whose
   * client transaction has ended, which the UAC core must ACK again (§13.2.2.4). Others may be dropped.
   */
  void onStrayResponse(SipResponse response, Flow flow);
}
