package io.switchboard.sip.transport;

/**
 * Recognises keep-alive traffic that is not a SIP message: RFC 5626 §4.4.1 CRLF keep-alives and
 * §4.4.2 STUN binding requests on UDP (RFC 5389 §6 header: two zero bits, then the magic cookie
 * 0x2112A442 at offset 4; a SIP message starts with a letter, so the two never collide, RFC 7983).
 */
final class KeepAlives {

  /** STUN message header length (RFC 5389 §6). */
  static final int STUN_HEADER_BYTES = 20;

  private static final byte[] STUN_MAGIC_COOKIE = {0x21, 0x12, (byte) 0xA4, 0x42};

  private KeepAlives() {}

  /** Only CR, LF, SP and HTAB (or nothing): a keep-alive, never a message. */
  static boolean isWhitespace(byte[] bytes) {
    for (byte b : bytes) {
      if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Exactly the RFC 5626 §4.4.1 "ping", CRLFCRLF. */
  static boolean isPing(byte[] bytes) {
    return bytes.length == 4 && bytes[0] == '\r' && bytes[1] == '\n' && bytes[2] == '\r' && bytes[3] == '\n';
  }

  static boolean isStun(byte[] bytes) {
    if (bytes.length < STUN_HEADER_BYTES || (bytes[0] & 0xC0) != 0) {
      return false;
    }
    for (int i = 0; i < STUN_MAGIC_COOKIE.length; i++) {
      if (bytes[4 + i] != STUN_MAGIC_COOKIE[i]) {
        return false;
      }
    }
    return true;
  }
}
