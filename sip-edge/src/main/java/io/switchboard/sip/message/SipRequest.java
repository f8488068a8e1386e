package io.switchboard.sip.message;

import java.util.Objects;

/** Request-Line plus headers and body (RFC 3261 §7.1). */
public record SipRequest(String method, String requestUri, String version, SipHeaders headers, SipBody body)
    implements SipMessage {

  public SipRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  @Override
  public SipRequest withHeaders(SipHeaders newHeaders) {
    return new SipRequest(method, requestUri, version, newHeaders, body);
  }
}
