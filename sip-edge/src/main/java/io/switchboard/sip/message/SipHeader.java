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
    // A header built in code must not smuggle a line break into the encoded message (header
    // injection); the parser never produces one, since it unfolds lines and rejects bare CR/LF.
    if (!SipGrammar.isToken(name) || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("header name must be a token and the value one line: " + name);
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
