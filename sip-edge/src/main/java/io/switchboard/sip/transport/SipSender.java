package io.switchboard.sip.transport;

import io.switchboard.sip.message.SipMessage;
import java.util.concurrent.CompletionStage;

/**
 * Sends encoded SIP messages. Never blocks: it returns when the message is queued on the channel.
 * The stage fails when the message cannot be sent (no route, connection refused, write failed,
 * message too large for UDP): a client transaction reports that to its user as a transport error
 * (RFC 3261 §17.1.4, §18.1.1, §18.4).
 */
public interface SipSender {
  CompletionStage<Void> send(SipMessage message, Flow flow);
}
