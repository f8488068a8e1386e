package io.switchboard.call;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.proto.AlertLegProto;
import io.switchboard.call.proto.ContactProto;
import io.switchboard.call.proto.DestinationProto;
import io.switchboard.call.proto.ForwardProto;
import io.switchboard.call.proto.ForwardReasonProto;
import io.switchboard.call.proto.HangupCauseProto;
import io.switchboard.call.proto.HangupLegProto;
import io.switchboard.call.proto.LegDescriptionProto;
import io.switchboard.call.proto.LegOnlyProto;
import io.switchboard.call.proto.MoveLegProto;
import io.switchboard.call.proto.OfferLegProto;
import io.switchboard.call.proto.PartyProto;
import io.switchboard.call.proto.RingGroupDestinationProto;
import io.switchboard.call.proto.RingModeProto;
import io.switchboard.call.proto.RingPlanProto;
import io.switchboard.call.proto.RingProto;
import io.switchboard.call.proto.RingStrategyProto;
import io.switchboard.call.proto.TransferOutcomeProto;
import io.switchboard.call.proto.UserDestinationProto;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.Destination;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.call.routing.RingStrategy;
import io.switchboard.persistence.serialization.CodecRegistry;
import io.switchboard.persistence.serialization.ProtoCodec;
import io.switchboard.persistence.serialization.SerializationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Protobuf mappings of the types the telephony entities share (causes, parties, contacts,
 * destinations, ring plans) and of the Leg protocol. The static mappers are for other codecs that
 * embed these types; the registry covers the types that travel on their own.
 */
public final class CommonCodecs implements CodecRegistry {

  private static final Map<HangupCause, HangupCauseProto> CAUSES = new EnumMap<>(Map.of(
      HangupCause.NORMAL, HangupCauseProto.NORMAL, HangupCause.BUSY, HangupCauseProto.BUSY,
      HangupCause.NO_ANSWER, HangupCauseProto.NO_ANSWER, HangupCause.REJECTED, HangupCauseProto.REJECTED,
      HangupCause.UNAVAILABLE, HangupCauseProto.UNAVAILABLE, HangupCause.CANCELLED, HangupCauseProto.CANCELLED,
      HangupCause.FAILED, HangupCauseProto.FAILED, HangupCause.NOT_FOUND, HangupCauseProto.NOT_FOUND,
      HangupCause.LOOP_DETECTED, HangupCauseProto.LOOP_DETECTED,
      HangupCause.MAX_DURATION, HangupCauseProto.MAX_DURATION));

  public static HangupCauseProto cause(HangupCause cause) {
    return CAUSES.get(cause);
  }

  /** An unknown (newer) number reads as FAILED rather than breaking recovery. */
  public static HangupCause cause(HangupCauseProto proto) {
    return CAUSES.entrySet().stream().filter(e -> e.getValue() == proto).map(Map.Entry::getKey).findFirst()
        .orElse(HangupCause.FAILED);
  }

  public static PartyProto party(Party party) {
    return PartyProto.newBuilder().setAddress(party.address()).setDisplayName(party.displayName()).build();
  }

  public static Party party(PartyProto proto) {
    return new Party(proto.getAddress(), proto.getDisplayName());
  }

  public static ContactProto contact(Contact contact, SerializationContext ctx) {
    return ContactProto.newBuilder().setUri(contact.uri()).setDeviceId(contact.deviceId())
        .setEdge(ctx.serializeRef(contact.edge())).setExpiresAtEpochMillis(contact.expiresAt().toEpochMilli())
        .build();
  }

  public static Contact contact(ContactProto proto, SerializationContext ctx) {
    return new Contact(proto.getUri(), proto.getDeviceId(), ctx.resolveRef(proto.getEdge()),
        Instant.ofEpochMilli(proto.getExpiresAtEpochMillis()));
  }

  public static Optional<String> optional(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static UserDestinationProto user(Destination.ToUser user) {
    return UserDestinationProto.newBuilder().setUserId(user.userId()).setExtension(user.extension()).build();
  }

  private static Destination.ToUser user(UserDestinationProto proto) {
    return new Destination.ToUser(proto.getUserId(), proto.getExtension());
  }

  public static DestinationProto destination(Destination destination) {
    DestinationProto.Builder b = DestinationProto.newBuilder();
    if (destination instanceof Destination.ToUser u) {
      b.setUser(user(u));
    } else if (destination instanceof Destination.ToRingGroup g) {
      b.setRingGroup(RingGroupDestinationProto.newBuilder().setGroupId(g.groupId()).setName(g.name())
          .setStrategy(RingStrategyProto.valueOf(g.strategy().name()))
          .addAllMembers(g.members().stream().map(CommonCodecs::user).toList())
          .setMemberTimeoutMillis(g.memberTimeout().toMillis()));
    } else if (destination instanceof Destination.ToQueue q) {
      b.setQueueId(q.queueId());
    } else if (destination instanceof Destination.ToIvr i) {
      b.setIvrFlowId(i.flowId());
    } else if (destination instanceof Destination.ToExternal e) {
      b.setExternalE164(e.e164());
    } else {
      b.setNotFoundDialled(((Destination.NotFound) destination).dialled());
    }
    return b.build();
  }

  public static Destination destination(DestinationProto proto) {
    return switch (proto.getKindCase()) {
      case USER -> user(proto.getUser());
      case RING_GROUP -> {
        RingGroupDestinationProto g = proto.getRingGroup();
        yield new Destination.ToRingGroup(g.getGroupId(), g.getName(), RingStrategy.valueOf(g.getStrategy().name()),
            g.getMembersList().stream().map(CommonCodecs::user).toList(),
            Duration.ofMillis(g.getMemberTimeoutMillis()));
      }
      case QUEUE_ID -> new Destination.ToQueue(proto.getQueueId());
      case IVR_FLOW_ID -> new Destination.ToIvr(proto.getIvrFlowId());
      case EXTERNAL_E164 -> new Destination.ToExternal(proto.getExternalE164());
      case NOT_FOUND_DIALLED, KIND_NOT_SET -> new Destination.NotFound(proto.getNotFoundDialled());
    };
  }

  private static final Map<RingPlan.ForwardReason, ForwardReasonProto> REASONS = Map.of(
      RingPlan.ForwardReason.ALWAYS, ForwardReasonProto.ALWAYS,
      RingPlan.ForwardReason.BUSY, ForwardReasonProto.FORWARD_BUSY,
      RingPlan.ForwardReason.NO_ANSWER, ForwardReasonProto.FORWARD_NO_ANSWER,
      RingPlan.ForwardReason.UNREACHABLE, ForwardReasonProto.UNREACHABLE);

  public static RingPlanProto ringPlan(RingPlan plan, SerializationContext ctx) {
    RingPlanProto.Builder b = RingPlanProto.newBuilder().setUserId(plan.userId());
    if (plan instanceof RingPlan.Ring r) {
      b.setRing(RingProto.newBuilder()
          .addAllContacts(r.contacts().stream().map(c -> contact(c, ctx)).toList())
          .setMode(r.mode() == RingPlan.RingMode.SIMULTANEOUS ? RingModeProto.SIMULTANEOUS
              : RingModeProto.SEQUENTIAL_DEVICES)
          .setNoAnswerTimeoutMillis(r.noAnswerTimeout().toMillis())
          .setForwardOnNoAnswer(r.forwardOnNoAnswer().orElse(""))
          .setForwardOnBusy(r.forwardOnBusy().orElse("")));
    } else if (plan instanceof RingPlan.Forward f) {
      b.setForward(ForwardProto.newBuilder().setTarget(f.target()).setReason(REASONS.get(f.reason())));
    } else {
      b.setReject(cause(((RingPlan.Reject) plan).cause()));
    }
    return b.build();
  }

  public static RingPlan ringPlan(RingPlanProto proto, SerializationContext ctx) {
    return switch (proto.getKindCase()) {
      case RING -> {
        RingProto r = proto.getRing();
        yield new RingPlan.Ring(proto.getUserId(), r.getContactsList().stream().map(c -> contact(c, ctx)).toList(),
            r.getMode() == RingModeProto.SEQUENTIAL_DEVICES ? RingPlan.RingMode.SEQUENTIAL
                : RingPlan.RingMode.SIMULTANEOUS,
            Duration.ofMillis(r.getNoAnswerTimeoutMillis()), optional(r.getForwardOnNoAnswer()),
            optional(r.getForwardOnBusy()));
      }
      case FORWARD -> new RingPlan.Forward(proto.getUserId(), proto.getForward().getTarget(),
          REASONS.entrySet().stream().filter(e -> e.getValue() == proto.getForward().getReason())
              .map(Map.Entry::getKey).findFirst().orElse(RingPlan.ForwardReason.ALWAYS));
      case REJECT, KIND_NOT_SET -> new RingPlan.Reject(proto.getUserId(), cause(proto.getReject()));
    };
  }

  private static LegOnlyProto legOnly(LegCommand c) {
    return LegOnlyProto.newBuilder().setCallId(c.callId()).setLegId(c.legId()).build();
  }

  private static LegDescriptionProto described(LegCommand c, String description) {
    return LegDescriptionProto.newBuilder().setCallId(c.callId()).setLegId(c.legId())
        .setDescription(description).build();
  }

  @Override
  public List<ProtoCodec<?, ?>> codecs() {
    return List.of(
        ProtoCodec.of(Destination.ToUser.class, "call.Destination.ToUser", DestinationProto.parser(),
            CommonCodecs::destination, p -> (Destination.ToUser) destination(p)),
        ProtoCodec.of(Destination.ToRingGroup.class, "call.Destination.ToRingGroup", DestinationProto.parser(),
            CommonCodecs::destination, p -> (Destination.ToRingGroup) destination(p)),
        ProtoCodec.of(Destination.ToQueue.class, "call.Destination.ToQueue", DestinationProto.parser(),
            CommonCodecs::destination, p -> (Destination.ToQueue) destination(p)),
        ProtoCodec.of(Destination.ToIvr.class, "call.Destination.ToIvr", DestinationProto.parser(),
            CommonCodecs::destination, p -> (Destination.ToIvr) destination(p)),
        ProtoCodec.of(Destination.ToExternal.class, "call.Destination.ToExternal", DestinationProto.parser(),
            CommonCodecs::destination, p -> (Destination.ToExternal) destination(p)),
        ProtoCodec.of(Destination.NotFound.class, "call.Destination.NotFound", DestinationProto.parser(),
            CommonCodecs::destination, p -> (Destination.NotFound) destination(p)),
        ProtoCodec.withContext(RingPlan.Ring.class, "call.RingPlan.Ring", RingPlanProto.parser(),
            CommonCodecs::ringPlan, (p, ctx) -> (RingPlan.Ring) ringPlan(p, ctx)),
        ProtoCodec.withContext(RingPlan.Forward.class, "call.RingPlan.Forward", RingPlanProto.parser(),
            CommonCodecs::ringPlan, (p, ctx) -> (RingPlan.Forward) ringPlan(p, ctx)),
        ProtoCodec.withContext(RingPlan.Reject.class, "call.RingPlan.Reject", RingPlanProto.parser(),
            CommonCodecs::ringPlan, (p, ctx) -> (RingPlan.Reject) ringPlan(p, ctx)),
        // --- Leg protocol ---
        ProtoCodec.of(LegCommand.OfferLeg.class, "call.leg.OfferLeg", OfferLegProto.parser(),
            c -> OfferLegProto.newBuilder().setCallId(c.callId()).setLegId(c.legId()).setTenantId(c.tenantId())
                .setContactUri(c.contactUri()).setCaller(party(c.caller())).setCallee(party(c.callee()))
                .setOffer(c.offer().orElse("")).build(),
            p -> new LegCommand.OfferLeg(p.getCallId(), p.getLegId(), p.getTenantId(), p.getContactUri(),
                party(p.getCaller()), party(p.getCallee()), optional(p.getOffer()))),
        ProtoCodec.of(LegCommand.AlertLeg.class, "call.leg.AlertLeg", AlertLegProto.parser(),
            c -> AlertLegProto.newBuilder().setCallId(c.callId()).setLegId(c.legId())
                .setEarlyMedia(c.earlyMedia().orElse("")).build(),
            p -> new LegCommand.AlertLeg(p.getCallId(), p.getLegId(), optional(p.getEarlyMedia()))),
        ProtoCodec.of(LegCommand.AnswerLeg.class, "call.leg.AnswerLeg", LegDescriptionProto.parser(),
            c -> described(c, c.answer()),
            p -> new LegCommand.AnswerLeg(p.getCallId(), p.getLegId(), p.getDescription())),
        ProtoCodec.of(LegCommand.UpdateLegMedia.class, "call.leg.UpdateLegMedia", LegDescriptionProto.parser(),
            c -> described(c, c.description()),
            p -> new LegCommand.UpdateLegMedia(p.getCallId(), p.getLegId(), p.getDescription())),
        ProtoCodec.of(LegCommand.HoldLeg.class, "call.leg.HoldLeg", LegOnlyProto.parser(),
            CommonCodecs::legOnly, p -> new LegCommand.HoldLeg(p.getCallId(), p.getLegId())),
        ProtoCodec.of(LegCommand.ResumeLeg.class, "call.leg.ResumeLeg", LegOnlyProto.parser(),
            CommonCodecs::legOnly, p -> new LegCommand.ResumeLeg(p.getCallId(), p.getLegId())),
        ProtoCodec.of(LegCommand.HangupLeg.class, "call.leg.HangupLeg", HangupLegProto.parser(),
            c -> HangupLegProto.newBuilder().setCallId(c.callId()).setLegId(c.legId()).setCause(cause(c.cause()))
                .build(),
            p -> new LegCommand.HangupLeg(p.getCallId(), p.getLegId(), cause(p.getCause()))),
        ProtoCodec.of(LegCommand.SendDtmf.class, "call.leg.SendDtmf", LegDescriptionProto.parser(),
            c -> described(c, c.digits()),
            p -> new LegCommand.SendDtmf(p.getCallId(), p.getLegId(), p.getDescription())),
        ProtoCodec.of(LegCommand.TransferOutcome.class, "call.leg.TransferOutcome", TransferOutcomeProto.parser(),
            c -> TransferOutcomeProto.newBuilder().setCallId(c.callId()).setLegId(c.legId())
                .setSucceeded(c.succeeded()).setCause(cause(c.cause())).build(),
            p -> new LegCommand.TransferOutcome(p.getCallId(), p.getLegId(), p.getSucceeded(), cause(p.getCause()))),
        ProtoCodec.of(LegCommand.MoveLeg.class, "call.leg.MoveLeg", MoveLegProto.parser(),
            c -> MoveLegProto.newBuilder().setCallId(c.callId()).setLegId(c.legId()).setNewCallId(c.newCallId())
                .build(),
            p -> new LegCommand.MoveLeg(p.getCallId(), p.getLegId(), p.getNewCallId())));
  }
}
