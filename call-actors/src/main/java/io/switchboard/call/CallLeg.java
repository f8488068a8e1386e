package io.switchboard.call;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One participant of a call, owned by an edge: the caller's incoming leg or a callee device's
 * outgoing one. Leg ids are unique across calls (an edge mints the caller's, the Call mints the
 * callees' as {@code <callId>/<n>}), so a leg can move to another call in an attended transfer.
 *
 * @param description the session description this leg's party sent (an offer or an answer)
 */
public record CallLeg(String legId, Role role, Party party, Optional<String> userId, ActorRef<LegCommand> edge,
                      Status status, Optional<String> description) implements ProtobufSerializable {

  public enum Role { CALLER, CALLEE }

  public enum Status {
    OFFERED, ALERTING, ANSWERED,
    /** Never answered: rejected, cancelled or timed out. */
    FAILED,
    /** Was answered, then hung up. */
    ENDED,
    /** Given to another call by an attended transfer. */
    HANDED_OVER;

    public boolean isLive() {
      return this == OFFERED || this == ALERTING || this == ANSWERED;
    }
  }

  public boolean isLive() {
    return status.isLive();
  }

  CallLeg withStatus(Status newStatus) {
    return new CallLeg(legId, role, party, userId, edge, newStatus, description);
  }

  CallLeg withDescription(String newDescription) {
    return new CallLeg(legId, role, party, userId, edge, status, Optional.of(newDescription));
  }
}
