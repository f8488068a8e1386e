package io.switchboard.sip.transaction;

import io.switchboard.sip.message.SipResponse;

/** What a client transaction (RFC 3261 §17.1) tells its user. Called on transport/timer threads; must not block. */
public interface ClientTransactionListener {

  /**
   * A response for the request: provisional ones, then the final one once. For INVITE, 2xx
   * retransmissions that arrive while the transaction is Accepted (RFC 6026) are passed on too,
   * so the UAC core can ACK each of them; non-2xx finals are ACKed by the transaction itself.
   */
  void onResponse(SipResponse response);

  /** Timer B or F fired: no final response arrived (the TU treats it as a 408). */
  void onTimeout();

  /** The request could not be sent (§17.1.4, the TU treats it as a 503). */
  void onTransportError(Throwable cause);
}
