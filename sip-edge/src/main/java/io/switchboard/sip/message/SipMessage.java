package io.switchboard.sip.message;

/**
 * A parsed SIP message (RFC 3261 §7): a request or a response, with its headers and a body framed
 * by Content-Length. Start-line and header text is kept as ISO-8859-1 characters, one per octet,
 * so that the encoder reproduces the received octets; interpret UTF-8 where a value is used.
 */
public sealed interface SipMessage permits SipRequest, SipResponse {

  /** "SIP/2.0"; the parser accepts no other version (RFC 3261 §7.1, 505 otherwise). */
  String version();

  SipHeaders headers();

  /** The body, exactly Content-Length octets (or the rest of a datagram without Content-Length). */
  SipBody body();

  /** The same message with other headers. */
  SipMessage withHeaders(SipHeaders headers);
}
