package io.switchboard.sip.b2bua;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.sip.message.SipUri;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.Transport;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The SIP edge's leg gateway on this node: the {@code ActorRef<LegCommand>} that registrations and
 * calls carry. It hands each command to the leg actor that owns the leg, and starts an outbound leg
 * for an {@link LegCommand.OfferLeg}. Commands for a leg it does not know are ignored, as the Leg
 * protocol allows (a recovered Call re-sends what it cannot prove was done).
 */
public final class SipLegGateway {
  private SipLegGateway() {}

  public static Behavior<LegCommand> create(SipEdgeContext edge) {
    return Behaviors.setup(ctx -> Behaviors.receiveMessage(cmd -> {
      Optional<org.apache.pekko.actor.typed.ActorRef<SipLeg.Msg>> leg = edge.dialogs().findLeg(cmd.legId());
      if (leg.isPresent()) {
        leg.get().tell(new SipLeg.FromCall(cmd));
      } else if (cmd instanceof LegCommand.OfferLeg offer) {
        startOutbound(ctx, edge, offer);
      } else {
        ctx.getLog().debug("{} for unknown leg {} of call {}: ignored", cmd.getClass().getSimpleName(), cmd.legId(),
            cmd.callId());
      }
      return Behaviors.same();
    }));
  }

  private static void startOutbound(ActorContext<LegCommand> ctx, SipEdgeContext edge, LegCommand.OfferLeg offer) {
    Optional<Flow> flow = flowFor(edge, offer.contactUri());
    ctx.spawn(SipLeg.outbound(edge, offer, flow), "leg-" + safeName(offer.legId()));
  }

  /** The registered flow of the device, else the Contact URI's own address when it is an IP literal. */
  static Optional<Flow> flowFor(SipEdgeContext edge, String contactUri) {
    Optional<Flow> registered = edge.registeredFlows().find(contactUri);
    if (registered.isPresent()) {
      return registered;
    }
    return SipUri.parse(contactUri).flatMap(uri -> SipAddresses.literalAddress(uri).flatMap(addr ->
        Transport.fromViaName(uri.transport()).flatMap(t -> edge.flows().flowTo(t, addr))));
  }

  static String safeName(String id) {
    return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
  }
}
