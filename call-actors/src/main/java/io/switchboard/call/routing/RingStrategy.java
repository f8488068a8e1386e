package io.switchboard.call.routing;

/** How a ring group offers a call to its members. */
public enum RingStrategy {
  /** Every member at once; the first to answer wins. */
  RING_ALL,
  /** Members one after another in their configured order, each for the group's member timeout. */
  SEQUENTIAL,
  /** Like sequential, but each call starts one member further along than the previous one. */
  ROUND_ROBIN
}
