package io.switchboard.call.routing;

import io.switchboard.call.leg.LegCommand;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A reachable device of a user: where a registration (SIP REGISTER, a WebRTC session) says the user
 * can be called, and the edge that owns it. A Call offers a leg to a contact by sending
 * {@link LegCommand.OfferLeg} to {@code edge}.
 *
 * @param uri the device's contact address as the edge understands it (a SIP Contact URI, a session id)
 * @param deviceId stable per device (SIP instance id or the contact URI), so re-registering replaces
 * @param edge the edge's leg gateway on the node that took the registration
 * @param expiresAt when the registration lapses unless refreshed
 */
public record Contact(String uri, String deviceId, ActorRef<LegCommand> edge, Instant expiresAt) {
  public Contact {
    expiresAt = expiresAt.truncatedTo(ChronoUnit.MILLIS);
  }

  public boolean isLiveAt(Instant now) {
    return expiresAt.isAfter(now);
  }
}
