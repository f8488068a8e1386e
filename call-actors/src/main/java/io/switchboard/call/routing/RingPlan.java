package io.switchboard.call.routing;

import io.switchboard.call.HangupCause;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A user's answer to "how do I reach you for this call": which devices to ring and how, or where
 * the call goes instead. The User entity computes it from registrations, presence, call waiting
 * and forwarding rules; the Call carries it out.
 */
public sealed interface RingPlan extends ProtobufSerializable
    permits RingPlan.Ring, RingPlan.Forward, RingPlan.Reject {

  String userId();

  /** How a user's several devices are rung. */
  enum RingMode { SIMULTANEOUS, SEQUENTIAL }

  /** Why a call is forwarded. */
  enum ForwardReason { ALWAYS, BUSY, NO_ANSWER, UNREACHABLE }

  /**
   * Ring {@code contacts} (live ones only, in the user's order); after {@code noAnswerTimeout} (for
   * sequential ringing: per device) go to {@code forwardOnNoAnswer} if present, else end with
   * {@link HangupCause#NO_ANSWER}. If every device rejects busy, go to {@code forwardOnBusy}.
   * Forward targets are addresses to dial in the same tenant (an extension or an external number).
   */
  record Ring(String userId, List<Contact> contacts, RingMode mode, Duration noAnswerTimeout,
              Optional<String> forwardOnNoAnswer, Optional<String> forwardOnBusy) implements RingPlan {
    public Ring {
      contacts = List.copyOf(contacts);
    }
  }

  /** Do not ring this user: dial {@code target} instead. */
  record Forward(String userId, String target, ForwardReason reason) implements RingPlan {}

  /** Do not ring this user and do not forward: end the attempt with {@code cause}. */
  record Reject(String userId, HangupCause cause) implements RingPlan {}
}
