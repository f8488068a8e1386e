package io.switchboard.call.routing;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Duration;
import java.util.List;

/**
 * What a dialled address resolves to in a tenant's directory (after business hours are applied to
 * a number). Queues and IVR flows are routed through here although their entities come later: a
 * Call that reaches one ends it as unavailable until they exist.
 */
public sealed interface Destination extends ProtobufSerializable
    permits Destination.ToUser, Destination.ToRingGroup, Destination.ToQueue, Destination.ToIvr,
    Destination.ToExternal, Destination.NotFound {

  /** A user, reached through their extension. */
  record ToUser(String userId, String extension) implements Destination {}

  /**
   * A ring group; {@code members} are in ringing order: for round-robin the directory has already
   * rotated them for this call.
   */
  record ToRingGroup(String groupId, String name, RingStrategy strategy, List<ToUser> members,
                     Duration memberTimeout) implements Destination {
    public ToRingGroup {
      members = List.copyOf(members);
    }
  }

  record ToQueue(String queueId) implements Destination {}

  record ToIvr(String flowId) implements Destination {}

  /** A number outside the tenant (E.164), to be reached through a trunk. */
  record ToExternal(String e164) implements Destination {}

  /** Nothing in the directory answers to the dialled address. */
  record NotFound(String dialled) implements Destination {}
}
