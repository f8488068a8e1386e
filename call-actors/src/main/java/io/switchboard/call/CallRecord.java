package io.switchboard.call;

import io.switchboard.call.leg.Party;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The call detail record: everything billing and reports need, carried whole by the one
 * {@link CallEvent.CallEnded} of a call so that the CDR projection writes it from that event alone.
 *
 * @param callee who the call reached: the answering party, else what was dialled
 * @param transferChain the addresses the call was transferred to, in order
 */
public record CallRecord(String callId, String tenantId, Direction direction, Party caller, Party callee,
                         String dialled, Instant startedAt, Optional<Instant> answeredAt, Instant endedAt,
                         HangupCause cause, Disposition disposition, List<String> transferChain,
                         List<LegSummary> legs) implements ProtobufSerializable {

  public CallRecord {
    startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
    answeredAt = answeredAt.map(a -> a.truncatedTo(ChronoUnit.MILLIS));
    endedAt = endedAt.truncatedTo(ChronoUnit.MILLIS);
    transferChain = List.copyOf(transferChain);
    legs = List.copyOf(legs);
  }

  /** How the call ended, as reports group calls. */
  public enum Disposition {
    ANSWERED, NO_ANSWER, BUSY, CANCELLED, REJECTED, UNAVAILABLE, FAILED;

    static Disposition of(boolean answered, HangupCause cause) {
      if (answered) {
        return ANSWERED;
      }
      return switch (cause) {
        case NO_ANSWER -> NO_ANSWER;
        case BUSY -> BUSY;
        case CANCELLED -> CANCELLED;
        case REJECTED -> REJECTED;
        case UNAVAILABLE, NOT_FOUND -> UNAVAILABLE;
        case NORMAL, FAILED, LOOP_DETECTED, MAX_DURATION -> FAILED;
      };
    }
  }

  /** One leg as the record shows it. */
  public record LegSummary(String legId, CallLeg.Role role, String address, CallLeg.Status finalStatus) {}

  /** From start to end, ringing included. */
  public Duration duration() {
    return Duration.between(startedAt, endedAt);
  }

  /** From answer to end; zero for an unanswered call. */
  public Duration billable() {
    return answeredAt.map(a -> Duration.between(a, endedAt)).orElse(Duration.ZERO);
  }

  /** Billable time in whole seconds, rounded up as carriers bill. */
  public long billableSeconds() {
    long millis = billable().toMillis();
    return (millis + 999) / 1000;
  }
}
