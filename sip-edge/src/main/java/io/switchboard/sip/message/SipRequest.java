package io.switchboard.sip.message;

import java.util.Arrays;
import java.util.Objects;

/** Request-Line plus headers and body (RFC 3261 §7.1). The body array is copied in and out. */
public record SipRequest(String method, String requestUri, String version, SipHeaders headers, byte[] body)
    implements SipMessage {

  public SipRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(headers, "headers");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public SipRequest withHeaders(SipHeaders newHeaders) {
    return new SipRequest(method, requestUri, version, newHeaders, body);
  }

  // Records compare arrays by identity; two requests with equal bodies are equal.
  @Override
  public boolean equals(Object o) {
    return o instanceof SipRequest r
        && method.equals(r.method) && requestUri.equals(r.requestUri) && version.equals(r.version)
        && headers.equals(r.headers) && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, requestUri, version, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "SipRequest[" + method + " " + requestUri + " " + version + ", " + headers.fields().size()
        + " headers, " + body.length + " body octets]";
  }
}
