package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;

/** A user and the state of their SIP password, as replies show them (credentials never leave the entity). */
public record UserView(UserEntry user, SipPasswordState sipPassword) implements ProtobufSerializable {

  /**
   * {@code STALE}: a password was set, but for another realm or SIP username than the current
   * ones, so its HA1 values cannot authenticate anyone; it must be set again.
   */
  public enum SipPasswordState { NOT_SET, CURRENT, STALE }
}
