package io.switchboard.sip.message;

import java.util.Locale;

/**
 * One header field as it arrived: the name as spelt on the wire (so re-encoding keeps {@code v}
 * or {@code ViA}) and the value with folding replaced by a single SP and surrounding LWS removed
 * (RFC 3261 §7.3.1). The value is the octets of the field as ISO-8859-1 characters, one char per
 * octet, so NUL and UTF-8 inside values survive a parse/encode round trip byte for byte.
 */
public record SipHeader(String name, String value) {

  public SipHeader {
    if (name == null || value == null) {
      throw new IllegalArgumentException("header name and value are required");
    }
  }

  /** The long form of the name ({@code Via} for {@code v}, {@code VIA} or {@code ViA}); unknown names as given. */
  public String canonicalName() {
    return SipHeaderNames.canonical(name);
  }

  /** True if this field has the given name, comparing case-insensitively and expanding compact forms. */
  public boolean is(String otherName) {
    return canonicalName().toLowerCase(Locale.ROOT)
        .equals(SipHeaderNames.canonical(otherName).toLowerCase(Locale.ROOT));
  }
}
