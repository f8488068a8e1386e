package io.switchboard.call.directory;

import io.switchboard.call.routing.RingStrategy;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Duration;
import java.util.List;

/**
 * Users reached together through one extension.
 *
 * @param memberUserIds in ringing order (the start of a round-robin rotation)
 * @param memberTimeout how long each member rings (sequential, round robin) or the group rings (ring all)
 */
public record RingGroup(String groupId, String name, String extension, RingStrategy strategy,
                        List<String> memberUserIds, Duration memberTimeout) implements ProtobufSerializable {
  public RingGroup {
    memberUserIds = List.copyOf(memberUserIds);
  }
}
