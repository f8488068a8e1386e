package io.switchboard.call;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Everything a {@link Call} entity accepts: the start of a call, the {@link LegReport}s edges send
 * about their legs (the second half of the Leg protocol), requests from the admin API and other
 * calls, and its own timers and lookups. Every command is answered; every leg report is
 * idempotent, so an edge may retry one whose acknowledgement it did not see.
 */
public sealed interface CallCommand extends ProtobufSerializable
    permits CallCommand.Originate, CallCommand.LegReport, CallCommand.Hangup, CallCommand.GetCall,
    CallCommand.HandOverPartner, CallCommand.RoutingDone, CallCommand.HandOverDone, CallCommand.RingTimeout,
    CallCommand.MaxDurationReached {

  /**
   * Start the call: the caller's leg (already owned by {@code callerEdge}) dials {@code dialled}.
   * Retried with the same caller leg it answers the call as it is.
   */
  record Originate(String tenantId, String callerLegId, Party caller, Optional<String> callerUserId,
                   ActorRef<LegCommand> callerEdge, String dialled, Direction direction, Optional<String> offer,
                   ActorRef<StatusReply<CallInfo>> replyTo) implements CallCommand {}

  /** What an edge reports about one of its legs. Answered with an acknowledgement. */
  sealed interface LegReport extends CallCommand
      permits LegAlerting, LegAnswered, LegRejected, LegHungUp, LegHoldChanged, LegDtmf, LegMediaChanged,
      LegTransferRequested,
      LegAttendedTransferRequested {
    String legId();

    ActorRef<StatusReply<Done>> replyTo();
  }

  /** The device is ringing (SIP 180), or plays early media (183 with a description). */
  record LegAlerting(String legId, Optional<String> earlyMedia, ActorRef<StatusReply<Done>> replyTo)
      implements LegReport {}

  /** The device answered (SIP 200 OK) with its session description. */
  record LegAnswered(String legId, String answer, ActorRef<StatusReply<Done>> replyTo) implements LegReport {}

  /** The device declined before answering (a SIP final error response). */
  record LegRejected(String legId, HangupCause cause, ActorRef<StatusReply<Done>> replyTo) implements LegReport {}

  /** The party hung up: BYE after answer, CANCEL from the caller before it. */
  record LegHungUp(String legId, HangupCause cause, ActorRef<StatusReply<Done>> replyTo) implements LegReport {}

  /** The party put the call on hold (re-INVITE sendonly/inactive) or took it off hold. */
  record LegHoldChanged(String legId, boolean held, ActorRef<StatusReply<Done>> replyTo) implements LegReport {}

  record LegDtmf(String legId, String digits, ActorRef<StatusReply<Done>> replyTo) implements LegReport {}

  /**
   * The leg's party sent a session description the other party must get: the answer to an offer
   * that came late (SIP: the caller's ACK after an INVITE without SDP). Relayed as
   * {@link io.switchboard.call.leg.LegCommand.UpdateLegMedia}.
   */
  record LegMediaChanged(String legId, String description, ActorRef<StatusReply<Done>> replyTo)
      implements LegReport {}

  /** Blind transfer (SIP REFER): connect the other party to {@code target}, then release this leg. */
  record LegTransferRequested(String legId, String target, ActorRef<StatusReply<Done>> replyTo)
      implements LegReport {}

  /**
   * Attended transfer (SIP REFER with Replaces, RFC 3891): connect the other party of this call
   * with the party this leg's user is talking to in {@code consultationCallId}, where this user's
   * leg is {@code consultationLegId}; both of this user's legs are released.
   */
  record LegAttendedTransferRequested(String legId, String consultationCallId, String consultationLegId,
                                      ActorRef<StatusReply<Done>> replyTo) implements LegReport {}

  /** End the call from outside (admin API, supervisor). */
  record Hangup(HangupCause cause, ActorRef<StatusReply<Done>> replyTo) implements CallCommand {}

  record GetCall(ActorRef<StatusReply<CallInfo>> replyTo) implements CallCommand {}

  /**
   * From another call completing an attended transfer: give it the party that is not
   * {@code replacedLegId}, then end. Answered with that party's leg.
   */
  record HandOverPartner(String requestingCallId, String replacedLegId, ActorRef<StatusReply<CallLeg>> replyTo)
      implements CallCommand {}

  // --- the Call's own messages ---

  /** Routing attempt {@code attemptId} finished. */
  record RoutingDone(int attemptId, RoutingOutcome outcome) implements CallCommand {}

  /**
   * The consultation call answered a hand-over request of transfer {@code transferId} (ask number
   * {@code attempt}), or the ask failed ({@code timedOut}: no answer in time).
   */
  record HandOverDone(int transferId, Optional<CallLeg> leg, String failure, int attempt, boolean timedOut)
      implements CallCommand {}

  /** Step {@code step} of routing attempt {@code attemptId} rang out. */
  record RingTimeout(int attemptId, int step) implements CallCommand {}

  record MaxDurationReached() implements CallCommand {}

  /** A call as the outside sees it. */
  record CallInfo(String callId, String tenantId, CallState.Phase phase, Direction direction, Party caller,
                  String dialled, Instant startedAt, Optional<Instant> answeredAt, Optional<Instant> endedAt,
                  Optional<HangupCause> cause, List<CallRecord.LegSummary> legs) implements ProtobufSerializable {
    public CallInfo {
      startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
      legs = List.copyOf(legs);
    }
  }
}
