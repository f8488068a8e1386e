package io.switchboard.call.user;

import static io.switchboard.call.CommonCodecs.optional;

import io.switchboard.call.CommonCodecs;
import io.switchboard.call.proto.ContactProto;
import io.switchboard.call.proto.RingModeProto;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.call.user.proto.ActiveCallProto;
import io.switchboard.call.user.proto.AllUnregisteredProto;
import io.switchboard.call.user.proto.CallActivityProto;
import io.switchboard.call.user.proto.CallEndedProto;
import io.switchboard.call.user.proto.CallStartedProto;
import io.switchboard.call.user.proto.CallWaitingSetProto;
import io.switchboard.call.user.proto.ForwardingProto;
import io.switchboard.call.user.proto.ForwardingSetProto;
import io.switchboard.call.user.proto.GetRingPlanProto;
import io.switchboard.call.user.proto.PresenceInfoProto;
import io.switchboard.call.user.proto.PresenceProto;
import io.switchboard.call.user.proto.PresenceSetProto;
import io.switchboard.call.user.proto.PruneLapsedProto;
import io.switchboard.call.user.proto.RegisterProto;
import io.switchboard.call.user.proto.RegisteredProto;
import io.switchboard.call.user.proto.RegistrationsLapsedProto;
import io.switchboard.call.user.proto.RegistrationsProto;
import io.switchboard.call.user.proto.ReplyToProto;
import io.switchboard.call.user.proto.RingModeSetProto;
import io.switchboard.call.user.proto.SetCallWaitingProto;
import io.switchboard.call.user.proto.SetForwardingProto;
import io.switchboard.call.user.proto.SetPresenceProto;
import io.switchboard.call.user.proto.SetRingModeProto;
import io.switchboard.call.user.proto.UpdateSettingsProto;
import io.switchboard.call.user.proto.SettingsProto;
import io.switchboard.call.user.proto.StaleCallsForgottenProto;
import io.switchboard.call.user.proto.UnregisterProto;
import io.switchboard.call.user.proto.UnregisteredProto;
import io.switchboard.call.user.proto.UserStateProto;
import io.switchboard.persistence.serialization.CodecRegistry;
import io.switchboard.persistence.serialization.ProtoCodec;
import io.switchboard.persistence.serialization.SerializationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/** Protobuf mappings of the {@link User} protocol, replies, events and snapshot. */
public final class UserCodecs implements CodecRegistry {

  /** An unknown (newer) presence reads as AVAILABLE: showing a user reachable beats failing recovery. */
  static Presence presence(PresenceProto proto) {
    return proto == PresenceProto.PRESENCE_UNSPECIFIED || proto == PresenceProto.UNRECOGNIZED
        ? Presence.AVAILABLE : Presence.valueOf(proto.name().substring("PRESENCE_".length()));
  }

  static PresenceProto presence(Presence presence) {
    return PresenceProto.valueOf("PRESENCE_" + presence.name());
  }

  static RingModeProto ringMode(RingPlan.RingMode mode) {
    return mode == RingPlan.RingMode.SEQUENTIAL ? RingModeProto.SEQUENTIAL_DEVICES : RingModeProto.SIMULTANEOUS;
  }

  static RingPlan.RingMode ringMode(RingModeProto proto) {
    return proto == RingModeProto.SEQUENTIAL_DEVICES ? RingPlan.RingMode.SEQUENTIAL : RingPlan.RingMode.SIMULTANEOUS;
  }

  /** Zero stands for "not set": no valid ringing time is zero. */
  static long millis(Optional<Duration> duration) {
    return duration.map(Duration::toMillis).orElse(0L);
  }

  static Optional<Duration> duration(long millis) {
    return millis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
  }

  static ForwardingProto forwarding(Forwarding f) {
    return ForwardingProto.newBuilder().setAlways(f.always().orElse("")).setBusy(f.busy().orElse(""))
        .setNoAnswer(f.noAnswer().map(Forwarding.NoAnswer::target).orElse(""))
        .setNoAnswerAfterMillis(millis(f.noAnswer().map(Forwarding.NoAnswer::after)))
        .setUnreachable(f.unreachable().orElse("")).build();
  }

  static Forwarding forwarding(ForwardingProto p) {
    return new Forwarding(optional(p.getAlways()), optional(p.getBusy()),
        optional(p.getNoAnswer()).map(t -> new Forwarding.NoAnswer(t, Duration.ofMillis(p.getNoAnswerAfterMillis()))),
        optional(p.getUnreachable()));
  }

  private static List<ContactProto> encodeContacts(List<Contact> contacts, SerializationContext ctx) {
    return contacts.stream().map(c -> CommonCodecs.contact(c, ctx)).toList();
  }

  private static List<Contact> decodeContacts(List<ContactProto> contacts, SerializationContext ctx) {
    return contacts.stream().map(c -> CommonCodecs.contact(c, ctx)).toList();
  }

  static UserStateProto state(User.State s, SerializationContext ctx) {
    return UserStateProto.newBuilder().addAllContacts(encodeContacts(s.contacts(), ctx)).setPresence(presence(s.presence()))
        .setCallWaiting(s.callWaiting()).setForwarding(forwarding(s.forwarding())).setRingMode(ringMode(s.ringMode()))
        .setRingTimeoutMillis(millis(s.ringTimeout()))
        .addAllActiveCalls(s.activeCalls().stream().map(c -> ActiveCallProto.newBuilder().setCallId(c.callId())
            .setSinceEpochMillis(c.since().toEpochMilli()).build()).toList())
        .addAllRecentlyEnded(s.recentlyEnded()).build();
  }

  static User.State state(UserStateProto p, SerializationContext ctx) {
    return new User.State(decodeContacts(p.getContactsList(), ctx), presence(p.getPresence()), p.getCallWaiting(),
        forwarding(p.getForwarding()), ringMode(p.getRingMode()), duration(p.getRingTimeoutMillis()),
        p.getActiveCallsList().stream()
            .map(c -> new User.ActiveCall(c.getCallId(), Instant.ofEpochMilli(c.getSinceEpochMillis()))).toList(),
        p.getRecentlyEndedList());
  }

  static SettingsProto settings(User.Settings s) {
    return SettingsProto.newBuilder().setPresence(presence(s.presence())).setCallWaiting(s.callWaiting())
        .setForwarding(forwarding(s.forwarding())).setRingMode(ringMode(s.ringMode()))
        .setRingTimeoutMillis(millis(s.ringTimeout()))
        .setEffectiveNoAnswerTimeoutMillis(s.effectiveNoAnswerTimeout().toMillis()).build();
  }

  static User.Settings settings(SettingsProto p) {
    return new User.Settings(presence(p.getPresence()), p.getCallWaiting(), forwarding(p.getForwarding()),
        ringMode(p.getRingMode()), duration(p.getRingTimeoutMillis()),
        Duration.ofMillis(p.getEffectiveNoAnswerTimeoutMillis()));
  }

  /** A command that carries nothing but where to answer. */
  private static <T extends User.Command, R> ProtoCodec<T, ReplyToProto> replyOnly(
      Class<T> type, String manifest, Function<T, ActorRef<R>> replyTo, Function<ActorRef<R>, T> create) {
    return ProtoCodec.withContext(type, manifest, ReplyToProto.parser(),
        (c, ctx) -> ReplyToProto.newBuilder().setReplyTo(ctx.serializeRef(replyTo.apply(c))).build(),
        (p, ctx) -> create.apply(ctx.resolveRef(p.getReplyTo())));
  }

  @Override
  public List<ProtoCodec<?, ?>> codecs() {
    return List.of(
        // --- events ---
        ProtoCodec.withContext(User.Registered.class, "user.Registered", RegisteredProto.parser(),
            (e, ctx) -> RegisteredProto.newBuilder().setContact(CommonCodecs.contact(e.contact(), ctx)).build(),
            (p, ctx) -> new User.Registered(CommonCodecs.contact(p.getContact(), ctx))),
        ProtoCodec.of(User.Unregistered.class, "user.Unregistered", UnregisteredProto.parser(),
            e -> UnregisteredProto.newBuilder().setDeviceId(e.deviceId()).build(),
            p -> new User.Unregistered(p.getDeviceId())),
        ProtoCodec.of(User.AllUnregistered.class, "user.AllUnregistered", AllUnregisteredProto.parser(),
            e -> AllUnregisteredProto.getDefaultInstance(), p -> new User.AllUnregistered()),
        ProtoCodec.of(User.RegistrationsLapsed.class, "user.RegistrationsLapsed", RegistrationsLapsedProto.parser(),
            e -> RegistrationsLapsedProto.newBuilder().addAllDeviceIds(e.deviceIds()).build(),
            p -> new User.RegistrationsLapsed(p.getDeviceIdsList())),
        ProtoCodec.of(User.PresenceSet.class, "user.PresenceSet", PresenceSetProto.parser(),
            e -> PresenceSetProto.newBuilder().setPresence(presence(e.presence())).build(),
            p -> new User.PresenceSet(presence(p.getPresence()))),
        ProtoCodec.of(User.CallWaitingSet.class, "user.CallWaitingSet", CallWaitingSetProto.parser(),
            e -> CallWaitingSetProto.newBuilder().setEnabled(e.enabled()).build(),
            p -> new User.CallWaitingSet(p.getEnabled())),
        ProtoCodec.of(User.ForwardingSet.class, "user.ForwardingSet", ForwardingSetProto.parser(),
            e -> ForwardingSetProto.newBuilder().setForwarding(forwarding(e.forwarding())).build(),
            p -> new User.ForwardingSet(forwarding(p.getForwarding()))),
        ProtoCodec.of(User.RingModeSet.class, "user.RingModeSet", RingModeSetProto.parser(),
            e -> RingModeSetProto.newBuilder().setMode(ringMode(e.mode()))
                .setNoAnswerTimeoutMillis(millis(e.noAnswerTimeout())).build(),
            p -> new User.RingModeSet(ringMode(p.getMode()), duration(p.getNoAnswerTimeoutMillis()))),
        ProtoCodec.of(User.CallStarted.class, "user.CallStarted", CallStartedProto.parser(),
            e -> CallStartedProto.newBuilder().setCallId(e.callId()).setAtEpochMillis(e.at().toEpochMilli()).build(),
            p -> new User.CallStarted(p.getCallId(), Instant.ofEpochMilli(p.getAtEpochMillis()))),
        ProtoCodec.of(User.CallEnded.class, "user.CallEnded", CallEndedProto.parser(),
            e -> CallEndedProto.newBuilder().setCallId(e.callId()).build(),
            p -> new User.CallEnded(p.getCallId())),
        ProtoCodec.of(User.StaleCallsForgotten.class, "user.StaleCallsForgotten", StaleCallsForgottenProto.parser(),
            e -> StaleCallsForgottenProto.newBuilder().addAllCallIds(e.callIds()).build(),
            p -> new User.StaleCallsForgotten(p.getCallIdsList())),
        // --- snapshot ---
        ProtoCodec.withContext(User.State.class, "user.State", UserStateProto.parser(), UserCodecs::state,
            UserCodecs::state),
        // --- commands ---
        ProtoCodec.withContext(User.Register.class, "user.Register", RegisterProto.parser(),
            (c, ctx) -> RegisterProto.newBuilder().setContact(CommonCodecs.contact(c.contact(), ctx))
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new User.Register(CommonCodecs.contact(p.getContact(), ctx), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(User.Unregister.class, "user.Unregister", UnregisterProto.parser(),
            (c, ctx) -> UnregisterProto.newBuilder().setDeviceId(c.deviceId())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new User.Unregister(p.getDeviceId(), ctx.resolveRef(p.getReplyTo()))),
        replyOnly(User.UnregisterAll.class, "user.UnregisterAll", User.UnregisterAll::replyTo,
            User.UnregisterAll::new),
        replyOnly(User.GetRegistrations.class, "user.GetRegistrations", User.GetRegistrations::replyTo,
            User.GetRegistrations::new),
        ProtoCodec.withContext(User.SetPresence.class, "user.SetPresence", SetPresenceProto.parser(),
            (c, ctx) -> SetPresenceProto.newBuilder().setPresence(presence(c.presence()))
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new User.SetPresence(presence(p.getPresence()), ctx.resolveRef(p.getReplyTo()))),
        replyOnly(User.GetPresence.class, "user.GetPresence", User.GetPresence::replyTo, User.GetPresence::new),
        ProtoCodec.withContext(User.SetCallWaiting.class, "user.SetCallWaiting", SetCallWaitingProto.parser(),
            (c, ctx) -> SetCallWaitingProto.newBuilder().setEnabled(c.enabled())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new User.SetCallWaiting(p.getEnabled(), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(User.SetForwarding.class, "user.SetForwarding", SetForwardingProto.parser(),
            (c, ctx) -> SetForwardingProto.newBuilder().setForwarding(forwarding(c.forwarding()))
                .addAllOwnAddresses(c.ownAddresses()).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new User.SetForwarding(forwarding(p.getForwarding()), new HashSet<>(p.getOwnAddressesList()),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(User.SetRingMode.class, "user.SetRingMode", SetRingModeProto.parser(),
            (c, ctx) -> SetRingModeProto.newBuilder().setMode(ringMode(c.mode()))
                .setNoAnswerTimeoutMillis(millis(c.noAnswerTimeout())).setReplyTo(ctx.serializeRef(c.replyTo()))
                .build(),
            (p, ctx) -> new User.SetRingMode(ringMode(p.getMode()), duration(p.getNoAnswerTimeoutMillis()),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(User.UpdateSettings.class, "user.UpdateSettings", UpdateSettingsProto.parser(),
            (c, ctx) -> {
              UpdateSettingsProto.Builder b = UpdateSettingsProto.newBuilder()
                  .setRingTimeoutMillis(millis(c.ringTimeout())).addAllOwnAddresses(c.ownAddresses())
                  .setReplyTo(ctx.serializeRef(c.replyTo()));
              c.presence().ifPresent(p -> b.setHasPresence(true).setPresence(presence(p)));
              c.callWaiting().ifPresent(w -> b.setHasCallWaiting(true).setCallWaiting(w));
              c.ringMode().ifPresent(m -> b.setHasRingMode(true).setRingMode(ringMode(m)));
              c.forwarding().ifPresent(f -> b.setHasForwarding(true).setForwarding(forwarding(f)));
              return b.build();
            },
            (p, ctx) -> new User.UpdateSettings(
                p.getHasPresence() ? Optional.of(presence(p.getPresence())) : Optional.empty(),
                p.getHasCallWaiting() ? Optional.of(p.getCallWaiting()) : Optional.empty(),
                p.getHasRingMode() ? Optional.of(ringMode(p.getRingMode())) : Optional.empty(),
                duration(p.getRingTimeoutMillis()),
                p.getHasForwarding() ? Optional.of(forwarding(p.getForwarding())) : Optional.empty(),
                new HashSet<>(p.getOwnAddressesList()), ctx.resolveRef(p.getReplyTo()))),
        replyOnly(User.GetSettings.class, "user.GetSettings", User.GetSettings::replyTo, User.GetSettings::new),
        ProtoCodec.withContext(User.CallActivity.class, "user.CallActivity", CallActivityProto.parser(),
            (c, ctx) -> CallActivityProto.newBuilder().setCallId(c.callId()).setActive(c.active())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new User.CallActivity(p.getCallId(), p.getActive(), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(User.GetRingPlan.class, "user.GetRingPlan", GetRingPlanProto.parser(),
            (c, ctx) -> GetRingPlanProto.newBuilder().setCallId(c.callId())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new User.GetRingPlan(p.getCallId(), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.of(User.PruneLapsed.class, "user.PruneLapsed", PruneLapsedProto.parser(),
            c -> PruneLapsedProto.getDefaultInstance(), p -> User.PruneLapsed.INSTANCE),
        // --- replies ---
        ProtoCodec.withContext(User.Registrations.class, "user.Registrations", RegistrationsProto.parser(),
            (r, ctx) -> RegistrationsProto.newBuilder().addAllContacts(encodeContacts(r.contacts(), ctx)).build(),
            (p, ctx) -> new User.Registrations(decodeContacts(p.getContactsList(), ctx))),
        ProtoCodec.of(User.PresenceInfo.class, "user.PresenceInfo", PresenceInfoProto.parser(),
            r -> PresenceInfoProto.newBuilder().setEffective(presence(r.effective()))
                .setExplicit(presence(r.explicit())).build(),
            p -> new User.PresenceInfo(presence(p.getEffective()), presence(p.getExplicit()))),
        ProtoCodec.of(User.Settings.class, "user.Settings", SettingsProto.parser(), UserCodecs::settings,
            UserCodecs::settings));
  }
}
