package io.switchboard.call.user;

/**
 * What a user shows to colleagues (a BLF lamp, a softphone's status dot). A user sets one
 * explicitly; the User entity derives the effective one from it, the live registrations and the
 * active calls ({@link User.State#effectivePresence}).
 *
 * <p>Only {@link #DO_NOT_DISTURB} and {@link #OFFLINE} change routing: AWAY and an explicit BUSY
 * are information for people, and a call still rings the user's devices.
 */
public enum Presence {
  AVAILABLE,
  AWAY,
  BUSY,
  /** Calls are treated as busy: forwarded on busy or rejected, never rung. */
  DO_NOT_DISTURB,
  /** Calls are treated as unreachable, even with a live device. */
  OFFLINE
}
