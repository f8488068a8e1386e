package io.switchboard.call.directory;

/** Where a number (DID) sends its calls. */
public sealed interface NumberTarget
    permits NumberTarget.ToExtension, NumberTarget.ToRingGroup, NumberTarget.ToQueue, NumberTarget.ToIvr {

  /** A user's or a ring group's extension, resolved at call time. */
  record ToExtension(String extension) implements NumberTarget {}

  record ToRingGroup(String groupId) implements NumberTarget {}

  /** A queue; queues are not provisioned here yet, so the id is not checked. */
  record ToQueue(String queueId) implements NumberTarget {}

  /** An IVR flow; not provisioned here yet, so the id is not checked. */
  record ToIvr(String flowId) implements NumberTarget {}
}
