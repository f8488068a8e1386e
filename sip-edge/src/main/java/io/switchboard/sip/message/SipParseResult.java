package io.switchboard.sip.message;

import java.util.Arrays;
import java.util.Objects;

/** What {@link SipParser} made of some octets. Malformed input is a value, never an exception. */
public sealed interface SipParseResult
    permits SipParseResult.Parsed, SipParseResult.Malformed, SipParseResult.NeedMoreBytes {

  /**
   * A whole message. {@code trailingBytes} are the octets after the body: on UDP they are ignored
   * and never forwarded (RFC 4475 §3.1.1.8); on a stream they start the next message.
   */
  record Parsed(SipMessage message, byte[] trailingBytes) implements SipParseResult {
    public Parsed {
      Objects.requireNonNull(message, "message");
      trailingBytes = trailingBytes.clone();
    }

    @Override
    public byte[] trailingBytes() {
      return trailingBytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parsed p && message.equals(p.message) && Arrays.equals(trailingBytes, p.trailingBytes);
    }

    @Override
    public int hashCode() {
      return 31 * message.hashCode() + Arrays.hashCode(trailingBytes);
    }

    @Override
    public String toString() {
      return "Parsed[" + message + ", " + trailingBytes.length + " trailing octets]";
    }
  }

  /**
   * The octets are not a SIP message we accept. {@code statusToSend} is the response a request
   * would get (400, 413, 501, 505, 513); the edge sends nothing for a malformed response and may
   * send nothing when it cannot find a Via to answer to. On a stream the connection is closed,
   * since framing is lost (RFC 3261 §18.3). {@code reason} names the offending part.
   */
  record Malformed(int statusToSend, String reason) implements SipParseResult {
    public Malformed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Stream transports only: the buffered octets are a prefix of a message; read more and retry. */
  record NeedMoreBytes() implements SipParseResult {}
}
