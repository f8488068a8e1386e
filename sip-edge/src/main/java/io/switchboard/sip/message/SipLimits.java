package io.switchboard.sip.message;

/**
 * Every bound the SIP parser enforces, in one place (STYLE principle 5: limits are named).
 *
 * <p>The parser checks each limit before it allocates or scans past it, so a hostile datagram or
 * a stream that never ends costs at most these many bytes of work. Each limit has its own {@link
 * SipParseResult.Malformed} reason so that logs and metrics can tell them apart.
 */
public final class SipLimits {

  /**
   * Largest whole message (start line, headers and body) we accept: 64 KiB. A UDP datagram cannot
   * be larger (RFC 768), and RFC 3261 §18.1.1 expects bigger requests to use a congestion-controlled
   * transport anyway. Above it the parser answers 513 Message Too Large (RFC 3261 §21.5.14).
   */
  public static final int MAX_MESSAGE_SIZE = 64 * 1024;

  /** Most header fields (after unfolding) in one message; above it 513 Message Too Large. */
  public static final int MAX_HEADER_COUNT = 256;

  /** Longest physical line (between two CRLFs, before unfolding); above it 513. */
  public static final int MAX_LINE_LENGTH = 8 * 1024;

  /**
   * Largest Content-Length we accept. A body can never be larger than the message that carries it,
   * so a bigger value is answered 413 Request Entity Too Large (RFC 3261 §21.4.11) before the
   * value is used for framing; the stream decoder never waits for more than this.
   */
  public static final int MAX_CONTENT_LENGTH = MAX_MESSAGE_SIZE;

  /** CSeq sequence numbers are 32-bit unsigned (RFC 3261 §8.1.1.5: "less than 2**31" when chosen, 2**32-1 at most on the wire). */
  public static final long MAX_CSEQ = 0xFFFF_FFFFL;

  /** Max-Forwards is 0..255 (RFC 3261 §20.22 and RFC 4475 §3.1.2.4). */
  public static final int MAX_MAX_FORWARDS = 255;

  private SipLimits() {}
}
