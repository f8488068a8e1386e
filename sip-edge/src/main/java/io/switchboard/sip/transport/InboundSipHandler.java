package io.switchboard.sip.transport;

import io.switchboard.sip.message.SipMessage;

/**
 * Receives every message the transports accepted: well-formed, passed by {@code SipValidation},
 * and for requests with {@code received}/{@code rport} set on the top Via (RFC 3261 §18.2.1, RFC
 * 3581 §4). Malformed and rejected messages never get here; the transports answer them.
 *
 * <p>Called on a transport event-loop thread, one message at a time per connection: it must not
 * block (hand the message to an actor or queue and return). An exception it throws is logged and
 * the message is dropped; the connection stays open.
 */
@FunctionalInterface
public interface InboundSipHandler {
  void onMessage(SipMessage message, Flow flow);
}
