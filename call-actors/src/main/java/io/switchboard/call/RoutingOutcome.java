package io.switchboard.call;

import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.RingPlan;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What routing one dialled address produced, computed outside the Call (by {@link CallRouting}
 * from the Directory and User entities) and persisted by the Call as it acts on it.
 */
public sealed interface RoutingOutcome permits RoutingOutcome.Ring, RoutingOutcome.Forward, RoutingOutcome.Fail {

  /** A device to ring and whose it is. */
  record RingTarget(Optional<String> userId, Party party, Contact contact) {}

  /** Devices rung together, for at most {@code timeout}. */
  record RingStep(List<RingTarget> targets, Duration timeout) {
    public RingStep {
      targets = List.copyOf(targets);
    }
  }

  /**
   * Ring the steps in order; after the last, or when every device of a step rejects busy, apply
   * the forwarding targets if present.
   *
   * @param userId the single user this address belongs to (empty for a ring group)
   */
  record Ring(String target, Optional<String> userId, List<RingStep> steps, Optional<String> forwardOnNoAnswer,
              Optional<String> forwardOnBusy) implements RoutingOutcome {
    public Ring {
      steps = List.copyOf(steps);
    }
  }

  /** The user at {@code target}... forwards the call to {@code to}. */
  record Forward(String fromUserId, String to, RingPlan.ForwardReason reason) implements RoutingOutcome {}

  /** The address cannot be reached: end the attempt with this cause. */
  record Fail(HangupCause cause, String reason) implements RoutingOutcome {}
}
