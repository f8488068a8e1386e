package io.switchboard.sip.auth;

/** What {@link NonceService#check} found. */
public enum NonceStatus {
  /** Issued by a node of this cluster for this realm, within its lifetime. */
  VALID,
  /**
   * Authentic but expired. The server answers with a new challenge carrying {@code stale=true}, so
   * the client retries with the new nonce without asking its user again (RFC 7616 §3.3,
   * RFC 3261 §22.4 via RFC 2617).
   */
  STALE,
  /** Forged, for another realm, malformed, or issued too far in the future: challenge afresh. */
  INVALID
}
