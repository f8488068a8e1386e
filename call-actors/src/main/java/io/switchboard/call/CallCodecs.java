package io.switchboard.call;

import static io.switchboard.call.CommonCodecs.cause;
import static io.switchboard.call.CommonCodecs.optional;
import static io.switchboard.call.CommonCodecs.party;

import io.switchboard.call.CallCommand.LegReport;
import io.switchboard.call.proto.AttemptProto;
import io.switchboard.call.proto.CallAnsweredProto;
import io.switchboard.call.proto.CallEndedProto;
import io.switchboard.call.proto.CallForwardedProto;
import io.switchboard.call.proto.CallInfoProto;
import io.switchboard.call.proto.CallLegProto;
import io.switchboard.call.proto.CallRecordProto;
import io.switchboard.call.proto.CallStartedProto;
import io.switchboard.call.proto.CallStateProto;
import io.switchboard.call.proto.DirectionProto;
import io.switchboard.call.proto.DispositionProto;
import io.switchboard.call.proto.FailOutcomeProto;
import io.switchboard.call.proto.ForwardOutcomeProto;
import io.switchboard.call.proto.ForwardReasonProto;
import io.switchboard.call.proto.HandOverDoneProto;
import io.switchboard.call.proto.HandOverPartnerProto;
import io.switchboard.call.proto.HangupProto;
import io.switchboard.call.proto.HoldChangedProto;
import io.switchboard.call.proto.LegAlertedProto;
import io.switchboard.call.proto.LegCauseProto;
import io.switchboard.call.proto.LegHandedOverProto;
import io.switchboard.call.proto.LegReportProto;
import io.switchboard.call.proto.LegRoleProto;
import io.switchboard.call.proto.LegStatusProto;
import io.switchboard.call.proto.LegSummaryProto;
import io.switchboard.call.proto.MaxDurationReachedProto;
import io.switchboard.call.proto.OriginateProto;
import io.switchboard.call.proto.PhaseProto;
import io.switchboard.call.proto.PurposeProto;
import io.switchboard.call.proto.ReplyToProto;
import io.switchboard.call.proto.RingStepProto;
import io.switchboard.call.proto.RingStepStartedProto;
import io.switchboard.call.proto.RingTargetProto;
import io.switchboard.call.proto.RingTimeoutProto;
import io.switchboard.call.proto.RouteProto;
import io.switchboard.call.proto.RouteSelectedProto;
import io.switchboard.call.proto.RoutingDoneProto;
import io.switchboard.call.proto.RoutingOutcomeProto;
import io.switchboard.call.proto.TransferCompletedProto;
import io.switchboard.call.proto.TransferFailedProto;
import io.switchboard.call.proto.TransferKindProto;
import io.switchboard.call.proto.TransferStartedProto;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.persistence.serialization.CodecRegistry;
import io.switchboard.persistence.serialization.ProtoCodec;
import io.switchboard.persistence.serialization.SerializationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Protobuf mappings of the {@link Call} entity's commands, replies, events and snapshot. Enum
 * values map by name to Protobuf enums with their own numbers, so reordering a Java enum never
 * changes what is stored.
 */
public final class CallCodecs implements CodecRegistry {

  // --- enums ---

  static DirectionProto direction(Direction d) {
    return DirectionProto.valueOf(d.name());
  }

  static Direction direction(DirectionProto d) {
    return d == DirectionProto.OUTBOUND ? Direction.OUTBOUND
        : d == DirectionProto.INBOUND ? Direction.INBOUND : Direction.INTERNAL;
  }

  static LegRoleProto role(CallLeg.Role r) {
    return LegRoleProto.valueOf(r.name());
  }

  static CallLeg.Role role(LegRoleProto r) {
    return r == LegRoleProto.CALLER ? CallLeg.Role.CALLER : CallLeg.Role.CALLEE;
  }

  private static final Map<CallLeg.Status, LegStatusProto> STATUSES = Map.of(
      CallLeg.Status.OFFERED, LegStatusProto.OFFERED, CallLeg.Status.ALERTING, LegStatusProto.ALERTING,
      CallLeg.Status.ANSWERED, LegStatusProto.ANSWERED, CallLeg.Status.FAILED, LegStatusProto.LEG_FAILED,
      CallLeg.Status.ENDED, LegStatusProto.LEG_ENDED, CallLeg.Status.HANDED_OVER, LegStatusProto.HANDED_OVER);

  static LegStatusProto status(CallLeg.Status s) {
    return STATUSES.get(s);
  }

  static CallLeg.Status status(LegStatusProto s) {
    return reverse(STATUSES, s, CallLeg.Status.FAILED);
  }

  static PhaseProto phase(CallState.Phase p) {
    return PhaseProto.valueOf(p.name());
  }

  static CallState.Phase phase(PhaseProto p) {
    return p == PhaseProto.PHASE_UNSPECIFIED || p == PhaseProto.UNRECOGNIZED ? CallState.Phase.NEW
        : CallState.Phase.valueOf(p.name());
  }

  static DispositionProto disposition(CallRecord.Disposition d) {
    return DispositionProto.valueOf("D_" + d.name());
  }

  static CallRecord.Disposition disposition(DispositionProto d) {
    return d.name().startsWith("D_") ? CallRecord.Disposition.valueOf(d.name().substring(2))
        : CallRecord.Disposition.FAILED;
  }

  private static final Map<RingPlan.ForwardReason, ForwardReasonProto> REASONS = Map.of(
      RingPlan.ForwardReason.ALWAYS, ForwardReasonProto.ALWAYS,
      RingPlan.ForwardReason.BUSY, ForwardReasonProto.FORWARD_BUSY,
      RingPlan.ForwardReason.NO_ANSWER, ForwardReasonProto.FORWARD_NO_ANSWER,
      RingPlan.ForwardReason.UNREACHABLE, ForwardReasonProto.UNREACHABLE);

  static ForwardReasonProto reason(RingPlan.ForwardReason r) {
    return REASONS.get(r);
  }

  static RingPlan.ForwardReason reason(ForwardReasonProto r) {
    return reverse(REASONS, r, RingPlan.ForwardReason.ALWAYS);
  }

  static PurposeProto purpose(CallEvent.Purpose p) {
    return p == CallEvent.Purpose.CALL ? PurposeProto.PURPOSE_CALL : PurposeProto.PURPOSE_TRANSFER;
  }

  static CallEvent.Purpose purpose(PurposeProto p) {
    return p == PurposeProto.PURPOSE_TRANSFER ? CallEvent.Purpose.TRANSFER : CallEvent.Purpose.CALL;
  }

  static TransferKindProto kind(CallEvent.TransferKind k) {
    return TransferKindProto.valueOf(k.name());
  }

  static CallEvent.TransferKind kind(TransferKindProto k) {
    return k == TransferKindProto.ATTENDED ? CallEvent.TransferKind.ATTENDED : CallEvent.TransferKind.BLIND;
  }

  private static <K, V> K reverse(Map<K, V> map, V value, K fallback) {
    return map.entrySet().stream().filter(e -> e.getValue() == value).map(Map.Entry::getKey).findFirst()
        .orElse(fallback);
  }

  // --- times: 0 stands for "absent" ---

  static long millis(Optional<Instant> instant) {
    return instant.map(Instant::toEpochMilli).orElse(0L);
  }

  static Optional<Instant> instant(long millis) {
    return millis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  // --- records ---

  static CallLegProto leg(CallLeg l, SerializationContext ctx) {
    return CallLegProto.newBuilder().setLegId(l.legId()).setRole(role(l.role())).setParty(party(l.party()))
        .setUserId(l.userId().orElse("")).setEdge(ctx.serializeRef(l.edge())).setStatus(status(l.status()))
        .setHasDescription(l.description().isPresent()).setDescription(l.description().orElse("")).build();
  }

  static CallLeg leg(CallLegProto p, SerializationContext ctx) {
    return new CallLeg(p.getLegId(), role(p.getRole()), party(p.getParty()), optional(p.getUserId()),
        ctx.resolveRef(p.getEdge()), status(p.getStatus()),
        p.getHasDescription() ? Optional.of(p.getDescription()) : Optional.empty());
  }

  static LegSummaryProto summary(CallRecord.LegSummary l) {
    return LegSummaryProto.newBuilder().setLegId(l.legId()).setRole(role(l.role())).setAddress(l.address())
        .setFinalStatus(status(l.finalStatus())).build();
  }

  static CallRecord.LegSummary summary(LegSummaryProto p) {
    return new CallRecord.LegSummary(p.getLegId(), role(p.getRole()), p.getAddress(), status(p.getFinalStatus()));
  }

  static CallRecordProto record(CallRecord r) {
    return CallRecordProto.newBuilder().setCallId(r.callId()).setTenantId(r.tenantId())
        .setDirection(direction(r.direction())).setCaller(party(r.caller())).setCallee(party(r.callee()))
        .setDialled(r.dialled()).setStartedAtEpochMillis(r.startedAt().toEpochMilli())
        .setAnsweredAtEpochMillis(millis(r.answeredAt())).setEndedAtEpochMillis(r.endedAt().toEpochMilli())
        .setCause(cause(r.cause())).setDisposition(disposition(r.disposition()))
        .addAllTransferChain(r.transferChain())
        .addAllLegs(r.legs().stream().map(CallCodecs::summary).toList()).build();
  }

  static CallRecord record(CallRecordProto p) {
    return new CallRecord(p.getCallId(), p.getTenantId(), direction(p.getDirection()), party(p.getCaller()),
        party(p.getCallee()), p.getDialled(), Instant.ofEpochMilli(p.getStartedAtEpochMillis()),
        instant(p.getAnsweredAtEpochMillis()), Instant.ofEpochMilli(p.getEndedAtEpochMillis()), cause(p.getCause()),
        disposition(p.getDisposition()), p.getTransferChainList(),
        p.getLegsList().stream().map(CallCodecs::summary).toList());
  }

  static RouteProto route(RoutingOutcome.Ring r, SerializationContext ctx) {
    RouteProto.Builder b = RouteProto.newBuilder().setTarget(r.target()).setUserId(r.userId().orElse(""))
        .setForwardOnNoAnswer(r.forwardOnNoAnswer().orElse("")).setForwardOnBusy(r.forwardOnBusy().orElse(""));
    for (RoutingOutcome.RingStep step : r.steps()) {
      RingStepProto.Builder s = RingStepProto.newBuilder().setTimeoutMillis(step.timeout().toMillis());
      step.targets().forEach(t -> s.addTargets(RingTargetProto.newBuilder().setUserId(t.userId().orElse(""))
          .setParty(party(t.party())).setContact(CommonCodecs.contact(t.contact(), ctx))));
      b.addSteps(s);
    }
    return b.build();
  }

  static RoutingOutcome.Ring route(RouteProto p, SerializationContext ctx) {
    List<RoutingOutcome.RingStep> steps = p.getStepsList().stream().map(s -> new RoutingOutcome.RingStep(
        s.getTargetsList().stream().map(t -> new RoutingOutcome.RingTarget(optional(t.getUserId()),
            party(t.getParty()), CommonCodecs.contact(t.getContact(), ctx))).toList(),
        Duration.ofMillis(s.getTimeoutMillis()))).toList();
    return new RoutingOutcome.Ring(p.getTarget(), optional(p.getUserId()), steps, optional(p.getForwardOnNoAnswer()),
        optional(p.getForwardOnBusy()));
  }

  static RoutingOutcomeProto outcome(RoutingOutcome o, SerializationContext ctx) {
    RoutingOutcomeProto.Builder b = RoutingOutcomeProto.newBuilder();
    if (o instanceof RoutingOutcome.Ring r) {
      b.setRing(route(r, ctx));
    } else if (o instanceof RoutingOutcome.Forward f) {
      b.setForward(ForwardOutcomeProto.newBuilder().setFromUserId(f.fromUserId()).setTo(f.to())
          .setReason(reason(f.reason())));
    } else {
      RoutingOutcome.Fail f = (RoutingOutcome.Fail) o;
      b.setFail(FailOutcomeProto.newBuilder().setCause(cause(f.cause())).setReason(f.reason()));
    }
    return b.build();
  }

  static RoutingOutcome outcome(RoutingOutcomeProto p, SerializationContext ctx) {
    return switch (p.getKindCase()) {
      case RING -> route(p.getRing(), ctx);
      case FORWARD -> new RoutingOutcome.Forward(p.getForward().getFromUserId(), p.getForward().getTo(),
          reason(p.getForward().getReason()));
      case FAIL, KIND_NOT_SET -> new RoutingOutcome.Fail(cause(p.getFail().getCause()), p.getFail().getReason());
    };
  }

  static CallStartedProto started(CallEvent.CallStarted e, SerializationContext ctx) {
    return CallStartedProto.newBuilder().setCallId(e.callId()).setTenantId(e.tenantId())
        .setDirection(direction(e.direction())).setCaller(party(e.caller()))
        .setCallerUserId(e.callerUserId().orElse("")).setCallerLegId(e.callerLegId())
        .setCallerEdge(ctx.serializeRef(e.callerEdge())).setDialled(e.dialled()).setOffer(e.offer().orElse(""))
        .setStartedAtEpochMillis(e.startedAt().toEpochMilli())
        .setMaxDurationAtEpochMillis(e.maxDurationAt().toEpochMilli()).build();
  }

  static CallEvent.CallStarted started(CallStartedProto p, SerializationContext ctx) {
    return new CallEvent.CallStarted(p.getCallId(), p.getTenantId(), direction(p.getDirection()),
        party(p.getCaller()), optional(p.getCallerUserId()), p.getCallerLegId(), ctx.resolveRef(p.getCallerEdge()),
        p.getDialled(), optional(p.getOffer()), Instant.ofEpochMilli(p.getStartedAtEpochMillis()),
        Instant.ofEpochMilli(p.getMaxDurationAtEpochMillis()));
  }

  static CallInfoProto info(CallCommand.CallInfo i) {
    return CallInfoProto.newBuilder().setCallId(i.callId()).setTenantId(i.tenantId()).setPhase(phase(i.phase()))
        .setDirection(direction(i.direction())).setCaller(party(i.caller())).setDialled(i.dialled())
        .setStartedAtEpochMillis(i.startedAt().toEpochMilli()).setAnsweredAtEpochMillis(millis(i.answeredAt()))
        .setEndedAtEpochMillis(millis(i.endedAt()))
        .setCause(i.cause().map(CommonCodecs::cause).orElse(io.switchboard.call.proto.HangupCauseProto
            .HANGUP_CAUSE_UNSPECIFIED))
        .addAllLegs(i.legs().stream().map(CallCodecs::summary).toList()).build();
  }

  static CallCommand.CallInfo info(CallInfoProto p) {
    return new CallCommand.CallInfo(p.getCallId(), p.getTenantId(), phase(p.getPhase()), direction(p.getDirection()),
        party(p.getCaller()), p.getDialled(), Instant.ofEpochMilli(p.getStartedAtEpochMillis()),
        instant(p.getAnsweredAtEpochMillis()), instant(p.getEndedAtEpochMillis()),
        p.getCause() == io.switchboard.call.proto.HangupCauseProto.HANGUP_CAUSE_UNSPECIFIED ? Optional.empty()
            : Optional.of(cause(p.getCause())),
        p.getLegsList().stream().map(CallCodecs::summary).toList());
  }

  // --- snapshot ---

  static CallStateProto state(CallState s, SerializationContext ctx) {
    CallStateProto.Builder b = CallStateProto.newBuilder().setPhase(phase(s.phase()))
        .addAllLegs(s.legs().values().stream().map(l -> leg(l, ctx)).toList()).addAllConnected(s.connected())
        .setNextLegNumber(s.nextLegNumber()).setNextAttemptId(s.nextAttemptId())
        .setNextTransferId(s.nextTransferId()).setAnsweredAtEpochMillis(millis(s.answeredAt()))
        .addAllHeld(s.held()).addAllTransferChain(s.transferChain()).setCallerAlerted(s.callerAlerted())
        .setEarlyMediaLegId(s.earlyMediaLegId().orElse(""));
    if (s.phase() != CallState.Phase.NEW) {
      b.setStarted(started(new CallEvent.CallStarted(s.callId(), s.tenantId(), s.direction(), s.caller(),
          s.callerUserId(), s.callerLegId(), s.callerLeg().edge(), s.dialled(), s.offer(), s.startedAt(),
          s.maxDurationAt()), ctx));
    } else {
      b.setStarted(CallStartedProto.newBuilder().setCallId(s.callId()));
    }
    s.attempt().ifPresent(a -> {
      AttemptProto.Builder ab = AttemptProto.newBuilder().setAttemptId(a.attemptId()).setPurpose(purpose(a.purpose()))
          .addAllChain(a.chain()).setRouted(a.route().isPresent()).setStep(a.step())
          .addAllStepLegIds(a.stepLegIds()).setDeadlineEpochMillis(millis(a.deadline()));
      a.route().ifPresent(r -> ab.setRoute(route(r, ctx)));
      b.setAttempt(ab);
    });
    s.transfer().ifPresent(t -> b.setTransfer(TransferStartedProto.newBuilder().setTransferId(t.transferId())
        .setKind(kind(t.kind())).setTransferorLegId(t.transferorLegId()).setTransfereeLegId(t.transfereeLegId())
        .setTarget(t.target()).setConsultationLegId(t.consultationLegId())));
    s.failures().forEach((leg, cause) -> b.addFailures(LegCauseProto.newBuilder().setLegId(leg)
        .setCause(cause(cause))));
    s.ended().ifPresent(r -> b.setEnded(record(r)));
    b.putAllHandedOver(s.handedOver());
    return b.build();
  }

  static CallState state(CallStateProto p, SerializationContext ctx) {
    CallState.Phase phase = phase(p.getPhase());
    if (phase == CallState.Phase.NEW) {
      return CallState.empty(p.getStarted().getCallId());
    }
    CallEvent.CallStarted st = started(p.getStarted(), ctx);
    Map<String, CallLeg> legs = new LinkedHashMap<>();
    p.getLegsList().forEach(l -> legs.put(l.getLegId(), leg(l, ctx)));
    Optional<CallState.Attempt> attempt = p.hasAttempt() ? Optional.of(new CallState.Attempt(
        p.getAttempt().getAttemptId(), purpose(p.getAttempt().getPurpose()), p.getAttempt().getChainList(),
        p.getAttempt().getRouted() ? Optional.of(route(p.getAttempt().getRoute(), ctx)) : Optional.empty(),
        p.getAttempt().getStep(), p.getAttempt().getStepLegIdsList(),
        instant(p.getAttempt().getDeadlineEpochMillis()))) : Optional.empty();
    Optional<CallState.Transfer> transfer = p.hasTransfer() ? Optional.of(new CallState.Transfer(
        p.getTransfer().getTransferId(), kind(p.getTransfer().getKind()), p.getTransfer().getTransferorLegId(),
        p.getTransfer().getTransfereeLegId(), p.getTransfer().getTarget(),
        p.getTransfer().getConsultationLegId())) : Optional.empty();
    Map<String, HangupCause> failures = new HashMap<>();
    p.getFailuresList().forEach(f -> failures.put(f.getLegId(), cause(f.getCause())));
    return new CallState(phase, st.callId(), st.tenantId(), st.direction(), st.caller(), st.callerUserId(),
        st.callerLegId(), st.dialled(), st.offer(), st.startedAt(), st.maxDurationAt(), legs, p.getConnectedList(),
        attempt, p.getNextLegNumber(), p.getNextAttemptId(), p.getNextTransferId(),
        instant(p.getAnsweredAtEpochMillis()), new java.util.LinkedHashSet<>(p.getHeldList()), transfer,
        p.getTransferChainList(), p.getCallerAlerted(), optional(p.getEarlyMediaLegId()), failures,
        p.hasEnded() ? Optional.of(record(p.getEnded())) : Optional.empty(), p.getHandedOverMap());
  }

  // --- leg reports share one message ---

  private static <R extends LegReport> ProtoCodec<R, LegReportProto> report(
      Class<R> type, String name, BiFunction<R, LegReportProto.Builder, LegReportProto.Builder> fill,
      BiFunction<LegReportProto, org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<
          org.apache.pekko.Done>>, R> read) {
    return ProtoCodec.withContext(type, "call." + name, LegReportProto.parser(),
        (r, ctx) -> fill.apply(r, LegReportProto.newBuilder().setLegId(r.legId())
            .setReplyTo(ctx.serializeRef(r.replyTo()))).build(),
        (p, ctx) -> read.apply(p, ctx.resolveRef(p.getReplyTo())));
  }

  @Override
  public List<ProtoCodec<?, ?>> codecs() {
    return List.of(
        // commands
        ProtoCodec.withContext(CallCommand.Originate.class, "call.Originate", OriginateProto.parser(),
            (c, ctx) -> OriginateProto.newBuilder().setTenantId(c.tenantId()).setCallerLegId(c.callerLegId())
                .setCaller(party(c.caller())).setCallerUserId(c.callerUserId().orElse(""))
                .setCallerEdge(ctx.serializeRef(c.callerEdge())).setDialled(c.dialled())
                .setDirection(direction(c.direction())).setOffer(c.offer().orElse(""))
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new CallCommand.Originate(p.getTenantId(), p.getCallerLegId(), party(p.getCaller()),
                optional(p.getCallerUserId()), ctx.resolveRef(p.getCallerEdge()), p.getDialled(),
                direction(p.getDirection()), optional(p.getOffer()), ctx.resolveRef(p.getReplyTo()))),
        report(CallCommand.LegAlerting.class, "LegAlerting", (r, b) -> b.setText(r.earlyMedia().orElse("")),
            (p, to) -> new CallCommand.LegAlerting(p.getLegId(), optional(p.getText()), to)),
        report(CallCommand.LegAnswered.class, "LegAnswered", (r, b) -> b.setText(r.answer()),
            (p, to) -> new CallCommand.LegAnswered(p.getLegId(), p.getText(), to)),
        report(CallCommand.LegRejected.class, "LegRejected", (r, b) -> b.setCause(cause(r.cause())),
            (p, to) -> new CallCommand.LegRejected(p.getLegId(), cause(p.getCause()), to)),
        report(CallCommand.LegHungUp.class, "LegHungUp", (r, b) -> b.setCause(cause(r.cause())),
            (p, to) -> new CallCommand.LegHungUp(p.getLegId(), cause(p.getCause()), to)),
        report(CallCommand.LegHoldChanged.class, "LegHoldChanged", (r, b) -> b.setHeld(r.held()),
            (p, to) -> new CallCommand.LegHoldChanged(p.getLegId(), p.getHeld(), to)),
        report(CallCommand.LegDtmf.class, "LegDtmf", (r, b) -> b.setText(r.digits()),
            (p, to) -> new CallCommand.LegDtmf(p.getLegId(), p.getText(), to)),
        report(CallCommand.LegMediaChanged.class, "LegMediaChanged", (r, b) -> b.setText(r.description()),
            (p, to) -> new CallCommand.LegMediaChanged(p.getLegId(), p.getText(), to)),
        report(CallCommand.LegTransferRequested.class, "LegTransferRequested", (r, b) -> b.setText(r.target()),
            (p, to) -> new CallCommand.LegTransferRequested(p.getLegId(), p.getText(), to)),
        report(CallCommand.LegAttendedTransferRequested.class, "LegAttendedTransferRequested",
            (r, b) -> b.setConsultationCallId(r.consultationCallId()).setConsultationLegId(r.consultationLegId()),
            (p, to) -> new CallCommand.LegAttendedTransferRequested(p.getLegId(), p.getConsultationCallId(),
                p.getConsultationLegId(), to)),
        ProtoCodec.withContext(CallCommand.Hangup.class, "call.Hangup", HangupProto.parser(),
            (c, ctx) -> HangupProto.newBuilder().setCause(cause(c.cause())).setReplyTo(ctx.serializeRef(c.replyTo()))
                .build(),
            (p, ctx) -> new CallCommand.Hangup(cause(p.getCause()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(CallCommand.GetCall.class, "call.GetCall", ReplyToProto.parser(),
            (c, ctx) -> ReplyToProto.newBuilder().setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new CallCommand.GetCall(ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(CallCommand.HandOverPartner.class, "call.HandOverPartner",
            HandOverPartnerProto.parser(),
            (c, ctx) -> HandOverPartnerProto.newBuilder().setRequestingCallId(c.requestingCallId())
                .setReplacedLegId(c.replacedLegId()).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new CallCommand.HandOverPartner(p.getRequestingCallId(), p.getReplacedLegId(),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(CallCommand.RoutingDone.class, "call.RoutingDone", RoutingDoneProto.parser(),
            (c, ctx) -> RoutingDoneProto.newBuilder().setAttemptId(c.attemptId())
                .setOutcome(outcome(c.outcome(), ctx)).build(),
            (p, ctx) -> new CallCommand.RoutingDone(p.getAttemptId(), outcome(p.getOutcome(), ctx))),
        ProtoCodec.withContext(CallCommand.HandOverDone.class, "call.HandOverDone", HandOverDoneProto.parser(),
            (c, ctx) -> {
              HandOverDoneProto.Builder b = HandOverDoneProto.newBuilder().setTransferId(c.transferId())
                  .setFailure(c.failure()).setAttempt(c.attempt()).setTimedOut(c.timedOut());
              c.leg().ifPresent(l -> b.setLeg(leg(l, ctx)));
              return b.build();
            },
            (p, ctx) -> new CallCommand.HandOverDone(p.getTransferId(),
                p.hasLeg() ? Optional.of(leg(p.getLeg(), ctx)) : Optional.empty(), p.getFailure(),
                Math.max(1, p.getAttempt()), p.getTimedOut())),
        ProtoCodec.of(CallCommand.RingTimeout.class, "call.RingTimeout", RingTimeoutProto.parser(),
            c -> RingTimeoutProto.newBuilder().setAttemptId(c.attemptId()).setStep(c.step()).build(),
            p -> new CallCommand.RingTimeout(p.getAttemptId(), p.getStep())),
        ProtoCodec.of(CallCommand.MaxDurationReached.class, "call.MaxDurationReached",
            MaxDurationReachedProto.parser(), c -> MaxDurationReachedProto.getDefaultInstance(),
            p -> new CallCommand.MaxDurationReached()),
        // replies
        ProtoCodec.of(CallCommand.CallInfo.class, "call.CallInfo", CallInfoProto.parser(), CallCodecs::info,
            CallCodecs::info),
        ProtoCodec.withContext(CallLeg.class, "call.CallLeg", CallLegProto.parser(), CallCodecs::leg,
            CallCodecs::leg),
        ProtoCodec.of(CallRecord.class, "call.CallRecord", CallRecordProto.parser(), CallCodecs::record,
            CallCodecs::record),
        // events
        ProtoCodec.withContext(CallEvent.CallStarted.class, "call.CallStarted", CallStartedProto.parser(),
            CallCodecs::started, CallCodecs::started),
        ProtoCodec.withContext(CallEvent.RouteSelected.class, "call.RouteSelected", RouteSelectedProto.parser(),
            (e, ctx) -> RouteSelectedProto.newBuilder().setAttemptId(e.attemptId()).setPurpose(purpose(e.purpose()))
                .setRoute(route(e.outcome(), ctx)).build(),
            (p, ctx) -> new CallEvent.RouteSelected(p.getAttemptId(), purpose(p.getPurpose()),
                route(p.getRoute(), ctx))),
        ProtoCodec.of(CallEvent.RingStepStarted.class, "call.RingStepStarted", RingStepStartedProto.parser(),
            e -> RingStepStartedProto.newBuilder().setAttemptId(e.attemptId()).setStep(e.step())
                .addAllLegIds(e.legIds()).setDeadlineEpochMillis(e.deadline().toEpochMilli()).build(),
            p -> new CallEvent.RingStepStarted(p.getAttemptId(), p.getStep(), p.getLegIdsList(),
                Instant.ofEpochMilli(p.getDeadlineEpochMillis()))),
        ProtoCodec.of(CallEvent.CallForwarded.class, "call.CallForwarded", CallForwardedProto.parser(),
            e -> CallForwardedProto.newBuilder().setAttemptId(e.attemptId()).setNextAttemptId(e.nextAttemptId())
                .setFromAddress(e.fromAddress()).setTo(e.to()).setReason(reason(e.reason())).build(),
            p -> new CallEvent.CallForwarded(p.getAttemptId(), p.getNextAttemptId(), p.getFromAddress(), p.getTo(),
                reason(p.getReason()))),
        ProtoCodec.of(CallEvent.LegAlerted.class, "call.LegAlerted", LegAlertedProto.parser(),
            e -> LegAlertedProto.newBuilder().setLegId(e.legId()).setEarlyMedia(e.earlyMedia().orElse("")).build(),
            p -> new CallEvent.LegAlerted(p.getLegId(), optional(p.getEarlyMedia()))),
        ProtoCodec.of(CallEvent.LegFailed.class, "call.LegFailed", LegCauseProto.parser(),
            e -> LegCauseProto.newBuilder().setLegId(e.legId()).setCause(cause(e.cause())).build(),
            p -> new CallEvent.LegFailed(p.getLegId(), cause(p.getCause()))),
        ProtoCodec.of(CallEvent.CallAnswered.class, "call.CallAnswered", CallAnsweredProto.parser(),
            e -> CallAnsweredProto.newBuilder().setLegId(e.legId()).setAnswer(e.answer())
                .setAnsweredAtEpochMillis(e.answeredAt().toEpochMilli()).addAllCancelledLegIds(e.cancelledLegIds())
                .build(),
            p -> new CallEvent.CallAnswered(p.getLegId(), p.getAnswer(),
                Instant.ofEpochMilli(p.getAnsweredAtEpochMillis()), p.getCancelledLegIdsList())),
        ProtoCodec.of(CallEvent.HoldChanged.class, "call.HoldChanged", HoldChangedProto.parser(),
            e -> HoldChangedProto.newBuilder().setLegId(e.legId()).setHeld(e.held()).build(),
            p -> new CallEvent.HoldChanged(p.getLegId(), p.getHeld())),
        ProtoCodec.of(CallEvent.TransferStarted.class, "call.TransferStarted", TransferStartedProto.parser(),
            e -> TransferStartedProto.newBuilder().setTransferId(e.transferId()).setKind(kind(e.kind()))
                .setTransferorLegId(e.transferorLegId()).setTransfereeLegId(e.transfereeLegId())
                .setTarget(e.target()).setConsultationLegId(e.consultationLegId()).build(),
            p -> new CallEvent.TransferStarted(p.getTransferId(), kind(p.getKind()), p.getTransferorLegId(),
                p.getTransfereeLegId(), p.getTarget(), p.getConsultationLegId())),
        ProtoCodec.withContext(CallEvent.TransferCompleted.class, "call.TransferCompleted",
            TransferCompletedProto.parser(),
            (e, ctx) -> TransferCompletedProto.newBuilder().setTransferId(e.transferId())
                .setNewPartner(leg(e.newPartner(), ctx)).setCompletedAtEpochMillis(e.completedAt().toEpochMilli())
                .build(),
            (p, ctx) -> new CallEvent.TransferCompleted(p.getTransferId(), leg(p.getNewPartner(), ctx),
                Instant.ofEpochMilli(p.getCompletedAtEpochMillis()))),
        ProtoCodec.of(CallEvent.TransferFailed.class, "call.TransferFailed", TransferFailedProto.parser(),
            e -> TransferFailedProto.newBuilder().setTransferId(e.transferId()).setCause(cause(e.cause())).build(),
            p -> new CallEvent.TransferFailed(p.getTransferId(), cause(p.getCause()))),
        ProtoCodec.of(CallEvent.LegLeft.class, "call.LegLeft", LegCauseProto.parser(),
            e -> LegCauseProto.newBuilder().setLegId(e.legId()).setCause(cause(e.cause())).build(),
            p -> new CallEvent.LegLeft(p.getLegId(), cause(p.getCause()))),
        ProtoCodec.of(CallEvent.LegHandedOver.class, "call.LegHandedOver", LegHandedOverProto.parser(),
            e -> LegHandedOverProto.newBuilder().setLegId(e.legId()).setToCallId(e.toCallId()).build(),
            p -> new CallEvent.LegHandedOver(p.getLegId(), p.getToCallId())),
        ProtoCodec.of(CallEvent.CallEnded.class, "call.CallEnded", CallEndedProto.parser(),
            e -> CallEndedProto.newBuilder().setRecord(record(e.record())).build(),
            p -> new CallEvent.CallEnded(record(p.getRecord()))),
        // snapshot
        ProtoCodec.withContext(CallState.class, "call.CallState", CallStateProto.parser(), CallCodecs::state,
            CallCodecs::state));
  }
}
