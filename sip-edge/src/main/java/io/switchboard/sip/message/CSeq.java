package io.switchboard.sip.message;

import java.util.Optional;

/** CSeq (RFC 3261 §20.16): a 32-bit sequence number and the request method. */
public record CSeq(long number, String method) {

  public static Optional<CSeq> parse(String value) {
    String v = SipGrammar.trimLws(value);
    int space = v.indexOf(' ');
    if (space < 0) {
      space = v.indexOf('\t');
    }
    if (space < 0) {
      return Optional.empty();
    }
    String method = SipGrammar.trimLws(v.substring(space + 1));
    return SipGrammar.boundedNumber(v.substring(0, space), SipLimits.MAX_CSEQ)
        .filter(n -> SipGrammar.isToken(method)).map(n -> new CSeq(n, method));
  }

  @Override
  public String toString() {
    return number + " " + method;
  }
}
