package io.switchboard.call;

/** Where a call came from and goes, as billing and reports see it. */
public enum Direction {
  /** From outside (a trunk, a DID) to the tenant. */
  INBOUND,
  /** From the tenant to an external number. */
  OUTBOUND,
  /** Between the tenant's own users. */
  INTERNAL
}
