package io.switchboard.sip.message;

import java.util.Objects;

/** Status-Line plus headers and body (RFC 3261 §7.2). */
public record SipResponse(String version, int status, String reason, SipHeaders headers, SipBody body)
    implements SipMessage {

  public SipResponse {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  @Override
  public SipResponse withHeaders(SipHeaders newHeaders) {
    return new SipResponse(version, status, reason, newHeaders, body);
  }
}
