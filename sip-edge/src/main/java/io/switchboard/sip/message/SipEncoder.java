package io.switchboard.sip.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link SipMessage} in RFC 3261 §7 wire form. Header names keep their spelling, values
 * go out as parsed (ISO-8859-1, one octet per char, so received octets are reproduced), and
 * Content-Length always states the body length (RFC 3261 §20.14), so for any message the parser
 * produced with a correct single Content-Length, {@code parse(encode(m))} equals {@code m}.
 */
public final class SipEncoder {

  private static final byte[] CRLF = {'\r', '\n'};

  private SipEncoder() {}

  /**
   * The message as sent: one Content-Length equal to the body length, kept in the position and
   * spelling of the first one received (or appended if there was none).
   */
  public static SipMessage withCorrectContentLength(SipMessage message) {
    int length = message.body().length();
    SipHeaders headers = message.headers();
    if (headers.count(SipHeaderNames.CONTENT_LENGTH) == 1
        && headers.first(SipHeaderNames.CONTENT_LENGTH).orElse("").equals(Integer.toString(length))) {
      return message;
    }
    return message.withHeaders(headers.withOnly(SipHeaderNames.CONTENT_LENGTH, Integer.toString(length)));
  }

  public static byte[] encode(SipMessage message) {
    SipMessage m = withCorrectContentLength(message);
    StringBuilder head = new StringBuilder(256);
    if (m instanceof SipRequest r) {
      head.append(r.method()).append(' ').append(r.requestUri()).append(' ').append(r.version());
    } else {
      SipResponse r = (SipResponse) m;
      head.append(r.version()).append(' ').append(String.format("%03d", r.status())).append(' ').append(r.reason());
    }
    head.append("\r\n");
    for (SipHeader h : m.headers().fields()) {
      head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + 2 + m.body().length());
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(CRLF);
    m.body().writeTo(out);
    return out.toByteArray();
  }
}
