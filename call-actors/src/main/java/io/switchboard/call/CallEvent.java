package io.switchboard.call;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The facts a {@link Call} persists, in the order they happened. A Call recovered on another node
 * rebuilds from them every leg, every pending ring step with its deadline and every transfer in
 * progress. Exactly one {@link CallEnded} ends each call's journal.
 */
public sealed interface CallEvent extends ProtobufSerializable
    permits CallEvent.CallStarted, CallEvent.RouteSelected, CallEvent.RingStepStarted, CallEvent.CallForwarded,
    CallEvent.LegAlerted, CallEvent.LegFailed, CallEvent.CallAnswered, CallEvent.HoldChanged,
    CallEvent.TransferStarted, CallEvent.TransferCompleted, CallEvent.TransferFailed, CallEvent.LegLeft,
    CallEvent.LegHandedOver, CallEvent.CallEnded {

  /** Whom a routing attempt is for: the original callee, or the target of a transfer. */
  enum Purpose { CALL, TRANSFER }

  enum TransferKind { BLIND, ATTENDED }

  record CallStarted(String callId, String tenantId, Direction direction, Party caller, Optional<String> callerUserId,
                     String callerLegId, ActorRef<LegCommand> callerEdge, String dialled, Optional<String> offer,
                     Instant startedAt, Instant maxDurationAt) implements CallEvent {
    public CallStarted {
      startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
      maxDurationAt = maxDurationAt.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  /** Attempt {@code attemptId} will ring {@code outcome}'s steps in order. */
  record RouteSelected(int attemptId, Purpose purpose, RoutingOutcome.Ring outcome) implements CallEvent {}

  /** Legs {@code legIds} were offered to the step's devices; the step rings out at {@code deadline}. */
  record RingStepStarted(int attemptId, int step, List<String> legIds, Instant deadline) implements CallEvent {
    public RingStepStarted {
      legIds = List.copyOf(legIds);
      deadline = deadline.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  /**
   * The attempt's target forwards the call to {@code to}; attempt {@code nextAttemptId} routes it.
   * {@code fromUserId} is empty when the forward came from the attempt's own rules (no answer, busy).
   */
  record CallForwarded(int attemptId, int nextAttemptId, String fromAddress, String to,
                       RingPlan.ForwardReason reason) implements CallEvent {}

  record LegAlerted(String legId, Optional<String> earlyMedia) implements CallEvent {}

  /** A callee leg ended without being answered (rejected, cancelled, rang out). */
  record LegFailed(String legId, HangupCause cause) implements CallEvent {}

  /**
   * {@code legId} answered first and is now the caller's partner; {@code cancelledLegIds} were still
   * ringing and are cancelled.
   */
  record CallAnswered(String legId, String answer, Instant answeredAt, List<String> cancelledLegIds)
      implements CallEvent {
    public CallAnswered {
      answeredAt = answeredAt.truncatedTo(ChronoUnit.MILLIS);
      cancelledLegIds = List.copyOf(cancelledLegIds);
    }
  }

  record HoldChanged(String legId, boolean held) implements CallEvent {}

  /**
   * {@code transferorLegId}'s party asked to transfer {@code transfereeLegId}'s party: to {@code
   * target} (blind), or to the partner of the transferor's leg {@code consultationLegId} in call
   * {@code target} (attended; the leg id is empty for blind transfers).
   */
  record TransferStarted(int transferId, TransferKind kind, String transferorLegId, String transfereeLegId,
                         String target, String consultationLegId) implements CallEvent {}

  /**
   * The transferee is now connected with {@code newPartner} (a leg answered by this call's routing,
   * or handed over by the consultation call); the transferor is released.
   */
  record TransferCompleted(int transferId, CallLeg newPartner, Instant completedAt) implements CallEvent {
    public TransferCompleted {
      completedAt = completedAt.truncatedTo(ChronoUnit.MILLIS);
    }
  }

  /** The transfer did not happen; the original parties stay connected, if the transferor is still there. */
  record TransferFailed(int transferId, HangupCause cause) implements CallEvent {}

  /** A party left without ending the call (a transferor hanging up while the transfer rings). */
  record LegLeft(String legId, HangupCause cause) implements CallEvent {}

  /** This call gave its leg to call {@code toCallId} (an attended transfer) and ends. */
  record LegHandedOver(String legId, String toCallId) implements CallEvent {}

  record CallEnded(CallRecord record) implements CallEvent {}
}
