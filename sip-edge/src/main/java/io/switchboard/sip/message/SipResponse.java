package io.switchboard.sip.message;

import java.util.Arrays;
import java.util.Objects;

/** Status-Line plus headers and body (RFC 3261 §7.2). The body array is copied in and out. */
public record SipResponse(String version, int status, String reason, SipHeaders headers, byte[] body)
    implements SipMessage {

  public SipResponse {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(headers, "headers");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public SipResponse withHeaders(SipHeaders newHeaders) {
    return new SipResponse(version, status, reason, newHeaders, body);
  }

  // Records compare arrays by identity; two responses with equal bodies are equal.
  @Override
  public boolean equals(Object o) {
    return o instanceof SipResponse r
        && version.equals(r.version) && status == r.status && reason.equals(r.reason)
        && headers.equals(r.headers) && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, status, reason, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "SipResponse[" + version + " " + status + " " + reason + ", " + headers.fields().size()
        + " headers, " + body.length + " body octets]";
  }
}
