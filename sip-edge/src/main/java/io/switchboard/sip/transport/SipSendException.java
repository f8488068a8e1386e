package io.switchboard.sip.transport;

import java.io.IOException;

/**
 * Why {@link SipSender#send} failed: no connection and none can be opened, the write failed, the
 * message does not fit a datagram, the send queue is full, or the transports are closed. The
 * transaction layer reports it as a transport error (RFC 3261 §8.1.3.1, §17.1.4).
 */
public final class SipSendException extends IOException {
  private static final long serialVersionUID = 1L;

  public SipSendException(String message) {
    super(message);
  }

  public SipSendException(String message, Throwable cause) {
    super(message, cause);
  }
}
