package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.transport.Flow;

/**
 * A client transaction (RFC 3261 §17.1) as its user sees it: everything it has to say arrives
 * through the {@link ClientTransactionListener} given to {@link TransactionLayer#sendRequest}.
 * Thread-safe.
 */
public interface ClientTransaction {

  /** The request as the transaction sends (and retransmits) it. */
  SipRequest request();

  /** Where the request goes. */
  Flow flow();

  /** True once the transaction reached Terminated and left the transaction table. */
  boolean isTerminated();
}
