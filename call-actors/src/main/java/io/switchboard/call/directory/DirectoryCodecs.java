package io.switchboard.call.directory;

import static io.switchboard.call.CommonCodecs.optional;

import io.switchboard.call.directory.proto.BusinessHoursCommandProto;
import io.switchboard.call.directory.proto.BusinessHoursProto;
import io.switchboard.call.directory.proto.DayHoursProto;
import io.switchboard.call.directory.proto.DidCommandProto;
import io.switchboard.call.directory.proto.DidProto;
import io.switchboard.call.directory.proto.DigestCredentialsProto;
import io.switchboard.call.directory.proto.DirectoryErrorKindProto;
import io.switchboard.call.directory.proto.DirectoryErrorProto;
import io.switchboard.call.directory.proto.DirectoryStateProto;
import io.switchboard.call.directory.proto.DirectoryViewProto;
import io.switchboard.call.directory.proto.EntryCommandProto;
import io.switchboard.call.directory.proto.EntryDeletedProto;
import io.switchboard.call.directory.proto.NumberTargetProto;
import io.switchboard.call.directory.proto.OpenRangeProto;
import io.switchboard.call.directory.proto.ResolveProto;
import io.switchboard.call.directory.proto.RingGroupCommandProto;
import io.switchboard.call.directory.proto.RingGroupProto;
import io.switchboard.call.directory.proto.RingGroupRotatedProto;
import io.switchboard.call.directory.proto.RoundRobinCursorProto;
import io.switchboard.call.directory.proto.SipCredentialsProto;
import io.switchboard.call.directory.proto.SipPasswordStateProto;
import io.switchboard.call.directory.proto.TenantCommandProto;
import io.switchboard.call.directory.proto.TenantCreatedProto;
import io.switchboard.call.directory.proto.TenantDeletedProto;
import io.switchboard.call.directory.proto.TenantIdProto;
import io.switchboard.call.directory.proto.TenantIdsProto;
import io.switchboard.call.directory.proto.TenantRegistryCommandProto;
import io.switchboard.call.directory.proto.TenantProto;
import io.switchboard.call.directory.proto.TenantUpdatedProto;
import io.switchboard.call.directory.proto.TrunkCommandProto;
import io.switchboard.call.directory.proto.TrunkCredentialsProto;
import io.switchboard.call.directory.proto.TrunkProto;
import io.switchboard.call.directory.proto.TrunkTransportProto;
import io.switchboard.call.directory.proto.UserCommandProto;
import io.switchboard.call.directory.proto.UserProto;
import io.switchboard.call.directory.proto.UserRecordProto;
import io.switchboard.call.directory.proto.UserSavedProto;
import io.switchboard.call.directory.proto.UserViewProto;
import io.switchboard.call.proto.RingStrategyProto;
import io.switchboard.call.routing.RingStrategy;
import io.switchboard.persistence.serialization.CodecRegistry;
import io.switchboard.persistence.serialization.ProtoCodec;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Protobuf mappings of the {@link Directory} protocol, events, snapshot and replies, and of the
 * {@link TenantRegistry}. Manifests are stable forever: {@code directory.<Type>}.
 */
public final class DirectoryCodecs implements CodecRegistry {

  // --- values ---

  static TenantProto tenant(Tenant t) {
    return TenantProto.newBuilder().setTenantId(t.tenantId()).setName(t.name()).setSipRealm(t.sipRealm())
        .setCountryCode(t.countryCode()).setCreatedAtEpochMillis(t.createdAt().toEpochMilli()).build();
  }

  static Tenant tenant(TenantProto p) {
    return new Tenant(p.getTenantId(), p.getName(), p.getSipRealm(), p.getCountryCode(),
        Instant.ofEpochMilli(p.getCreatedAtEpochMillis()));
  }

  static UserProto user(UserEntry u) {
    return UserProto.newBuilder().setUserId(u.userId()).setDisplayName(u.displayName()).setExtension(u.extension())
        .setEmail(u.email().orElse("")).setSipUsername(u.sipUsername()).build();
  }

  static UserEntry user(UserProto p) {
    return new UserEntry(p.getUserId(), p.getDisplayName(), p.getExtension(), optional(p.getEmail()),
        p.getSipUsername());
  }

  static SipCredentialsProto credentials(SipCredentials c) {
    return SipCredentialsProto.newBuilder().setSipUsername(c.sipUsername()).setRealm(c.realm())
        .setPasswordHash(c.passwordHash()).setHa1Md5(c.ha1Md5()).setHa1Sha256(c.ha1Sha256()).build();
  }

  static SipCredentials credentials(SipCredentialsProto p) {
    return new SipCredentials(p.getSipUsername(), p.getRealm(), p.getPasswordHash(), p.getHa1Md5(), p.getHa1Sha256());
  }

  static UserSavedProto userSaved(UserEntry user, Optional<SipCredentials> credentials) {
    UserSavedProto.Builder b = UserSavedProto.newBuilder().setUser(user(user));
    credentials.ifPresent(c -> b.setCredentials(credentials(c)));
    return b.build();
  }

  static Optional<SipCredentials> credentials(boolean present, SipCredentialsProto p) {
    return present ? Optional.of(credentials(p)) : Optional.empty();
  }

  static UserViewProto userView(UserView v) {
    return UserViewProto.newBuilder().setUser(user(v.user()))
        .setSipPassword(SipPasswordStateProto.valueOf(v.sipPassword().name())).build();
  }

  static UserView userView(UserViewProto p) {
    UserView.SipPasswordState state = switch (p.getSipPassword()) {
      case CURRENT -> UserView.SipPasswordState.CURRENT;
      case STALE -> UserView.SipPasswordState.STALE;
      default -> UserView.SipPasswordState.NOT_SET;
    };
    return new UserView(user(p.getUser()), state);
  }

  static RingGroupProto ringGroup(RingGroup g) {
    return RingGroupProto.newBuilder().setGroupId(g.groupId()).setName(g.name()).setExtension(g.extension())
        .setStrategy(RingStrategyProto.valueOf(g.strategy().name())).addAllMemberUserIds(g.memberUserIds())
        .setMemberTimeoutMillis(g.memberTimeout().toMillis()).build();
  }

  static RingGroup ringGroup(RingGroupProto p) {
    // An unknown (newer) strategy reads as ring-all: every member still rings.
    RingStrategy strategy = switch (p.getStrategy()) {
      case SEQUENTIAL -> RingStrategy.SEQUENTIAL;
      case ROUND_ROBIN -> RingStrategy.ROUND_ROBIN;
      default -> RingStrategy.RING_ALL;
    };
    return new RingGroup(p.getGroupId(), p.getName(), p.getExtension(), strategy, p.getMemberUserIdsList(),
        Duration.ofMillis(p.getMemberTimeoutMillis()));
  }

  static NumberTargetProto target(NumberTarget t) {
    NumberTargetProto.Builder b = NumberTargetProto.newBuilder();
    if (t instanceof NumberTarget.ToExtension e) {
      b.setExtension(e.extension());
    } else if (t instanceof NumberTarget.ToRingGroup g) {
      b.setRingGroupId(g.groupId());
    } else if (t instanceof NumberTarget.ToQueue q) {
      b.setQueueId(q.queueId());
    } else {
      b.setIvrFlowId(((NumberTarget.ToIvr) t).flowId());
    }
    return b.build();
  }

  static NumberTarget target(NumberTargetProto p) {
    return switch (p.getKindCase()) {
      case RING_GROUP_ID -> new NumberTarget.ToRingGroup(p.getRingGroupId());
      case QUEUE_ID -> new NumberTarget.ToQueue(p.getQueueId());
      case IVR_FLOW_ID -> new NumberTarget.ToIvr(p.getIvrFlowId());
      case EXTENSION, KIND_NOT_SET -> new NumberTarget.ToExtension(p.getExtension());
    };
  }

  static DidProto did(Did d) {
    DidProto.Builder b = DidProto.newBuilder().setNumber(d.number()).setTarget(target(d.target()))
        .setCalendarId(d.calendarId().orElse(""));
    d.closedTarget().ifPresent(t -> b.setClosedTarget(target(t)));
    return b.build();
  }

  static Did did(DidProto p) {
    return new Did(p.getNumber(), target(p.getTarget()), optional(p.getCalendarId()),
        p.hasClosedTarget() ? Optional.of(target(p.getClosedTarget())) : Optional.empty());
  }

  static BusinessHoursProto calendar(BusinessHours c) {
    BusinessHoursProto.Builder b = BusinessHoursProto.newBuilder().setCalendarId(c.calendarId()).setName(c.name())
        .setTimeZone(c.timeZone().getId());
    c.weekly().forEach((day, ranges) -> b.addWeekly(DayHoursProto.newBuilder().setDayOfWeek(day.getValue())
        .addAllRanges(ranges.stream().map(r -> OpenRangeProto.newBuilder()
            .setOpensSecondOfDay(r.opens().toSecondOfDay()).setClosesSecondOfDay(r.closes().toSecondOfDay())
            .build()).toList())));
    c.holidays().forEach(h -> b.addHolidays(h.toString()));
    return b.build();
  }

  static BusinessHours calendar(BusinessHoursProto p) {
    Map<DayOfWeek, List<BusinessHours.OpenRange>> weekly = new EnumMap<>(DayOfWeek.class);
    for (DayHoursProto day : p.getWeeklyList()) {
      weekly.put(DayOfWeek.of(day.getDayOfWeek()), day.getRangesList().stream()
          .map(r -> new BusinessHours.OpenRange(LocalTime.ofSecondOfDay(r.getOpensSecondOfDay()),
              LocalTime.ofSecondOfDay(r.getClosesSecondOfDay())))
          .toList());
    }
    return BusinessHours.of(p.getCalendarId(), p.getName(), ZoneId.of(p.getTimeZone()), weekly,
        new java.util.TreeSet<>(p.getHolidaysList().stream().map(LocalDate::parse).toList()));
  }

  static TrunkProto trunk(Trunk t) {
    TrunkProto.Builder b = TrunkProto.newBuilder().setTrunkId(t.trunkId()).setName(t.name()).setHost(t.host())
        .setPort(t.port()).setTransport(switch (t.transport()) {
          case UDP -> TrunkTransportProto.TRUNK_TRANSPORT_UDP;
          case TCP -> TrunkTransportProto.TRUNK_TRANSPORT_TCP;
          case TLS -> TrunkTransportProto.TRUNK_TRANSPORT_TLS;
        })
        .addAllAllowedSources(t.allowedSources()).setRegister(t.register()).setCallerId(t.callerId().orElse(""));
    t.credentials().ifPresent(c -> b.setCredentials(TrunkCredentialsProto.newBuilder().setUsername(c.username())
        .setRealm(c.realm()).setHa1Md5(c.ha1Md5()).setHa1Sha256(c.ha1Sha256())));
    return b.build();
  }

  static Trunk trunk(TrunkProto p) {
    // An unknown (newer) transport reads as UDP, the SIP default.
    Trunk.Transport transport = switch (p.getTransport()) {
      case TRUNK_TRANSPORT_TCP -> Trunk.Transport.TCP;
      case TRUNK_TRANSPORT_TLS -> Trunk.Transport.TLS;
      default -> Trunk.Transport.UDP;
    };
    Optional<TrunkCredentials> credentials = p.hasCredentials()
        ? Optional.of(new TrunkCredentials(p.getCredentials().getUsername(), p.getCredentials().getRealm(),
            p.getCredentials().getHa1Md5(), p.getCredentials().getHa1Sha256()))
        : Optional.empty();
    return new Trunk(p.getTrunkId(), p.getName(), p.getHost(), p.getPort(), transport, p.getAllowedSourcesList(),
        credentials, p.getRegister(), optional(p.getCallerId()));
  }

  static DirectoryStateProto state(Directory.State s) {
    DirectoryStateProto.Builder b = DirectoryStateProto.newBuilder().setDeleted(s.deleted());
    s.tenant().ifPresent(t -> b.setTenant(tenant(t)));
    s.users().values().forEach(r -> {
      UserRecordProto.Builder u = UserRecordProto.newBuilder().setUser(user(r.user()));
      r.credentials().ifPresent(c -> u.setCredentials(credentials(c)));
      b.addUsers(u);
    });
    s.ringGroups().values().forEach(g -> b.addRingGroups(ringGroup(g)));
    s.numbers().values().forEach(d -> b.addNumbers(did(d)));
    s.calendars().values().forEach(c -> b.addCalendars(calendar(c)));
    s.cursors().forEach((group, next) -> b.addCursors(RoundRobinCursorProto.newBuilder().setGroupId(group)
        .setNextIndex(next)));
    s.trunks().values().forEach(t -> b.addTrunks(trunk(t)));
    return b.build();
  }

  static Directory.State state(DirectoryStateProto p) {
    TreeMap<String, Directory.UserRecord> users = new TreeMap<>();
    p.getUsersList().forEach(u -> users.put(u.getUser().getUserId(),
        new Directory.UserRecord(user(u.getUser()), credentials(u.hasCredentials(), u.getCredentials()))));
    TreeMap<String, RingGroup> groups = new TreeMap<>();
    p.getRingGroupsList().forEach(g -> groups.put(g.getGroupId(), ringGroup(g)));
    TreeMap<String, Did> numbers = new TreeMap<>();
    p.getNumbersList().forEach(d -> numbers.put(d.getNumber(), did(d)));
    TreeMap<String, BusinessHours> calendars = new TreeMap<>();
    p.getCalendarsList().forEach(c -> calendars.put(c.getCalendarId(), calendar(c)));
    TreeMap<String, Integer> cursors = new TreeMap<>();
    p.getCursorsList().forEach(c -> cursors.put(c.getGroupId(), c.getNextIndex()));
    TreeMap<String, Trunk> trunks = new TreeMap<>();
    p.getTrunksList().forEach(t -> trunks.put(t.getTrunkId(), trunk(t)));
    return new Directory.State(p.hasTenant() ? Optional.of(tenant(p.getTenant())) : Optional.empty(), p.getDeleted(),
        users, groups, numbers, calendars, cursors, trunks);
  }

  static DirectoryViewProto view(DirectoryView v) {
    return DirectoryViewProto.newBuilder().setTenant(tenant(v.tenant()))
        .addAllUsers(v.users().stream().map(DirectoryCodecs::userView).toList())
        .addAllRingGroups(v.ringGroups().stream().map(DirectoryCodecs::ringGroup).toList())
        .addAllNumbers(v.numbers().stream().map(DirectoryCodecs::did).toList())
        .addAllCalendars(v.calendars().stream().map(DirectoryCodecs::calendar).toList())
        .addAllTrunks(v.trunks().stream().map(DirectoryCodecs::trunk).toList()).build();
  }

  static DirectoryView view(DirectoryViewProto p) {
    return new DirectoryView(tenant(p.getTenant()), p.getUsersList().stream().map(DirectoryCodecs::userView).toList(),
        p.getRingGroupsList().stream().map(DirectoryCodecs::ringGroup).toList(),
        p.getNumbersList().stream().map(DirectoryCodecs::did).toList(),
        p.getCalendarsList().stream().map(DirectoryCodecs::calendar).toList(),
        p.getTrunksList().stream().map(DirectoryCodecs::trunk).toList());
  }

  static DirectoryErrorProto error(DirectoryError e) {
    return DirectoryErrorProto.newBuilder().setKind(DirectoryErrorKindProto.valueOf(e.kind().name()))
        .setMessage(e.getMessage()).build();
  }

  static DirectoryError error(DirectoryErrorProto p) {
    DirectoryError.Kind kind = switch (p.getKind()) {
      case NOT_FOUND -> DirectoryError.Kind.NOT_FOUND;
      case CONFLICT -> DirectoryError.Kind.CONFLICT;
      default -> DirectoryError.Kind.INVALID;
    };
    return new DirectoryError(kind, p.getMessage());
  }

  private static EntryDeletedProto deleted(String id) {
    return EntryDeletedProto.newBuilder().setId(id).build();
  }

  // --- codec builders shared by the many commands of one shape ---

  /** A command that carries one id (or none) and a reply-to. */
  private static <C extends Directory.Command, R> ProtoCodec<C, EntryCommandProto> byId(
      Class<C> type, String manifest, Function<C, String> id, BiFunction<String, ActorRef<R>, C> make) {
    return ProtoCodec.withContext(type, manifest, EntryCommandProto.parser(),
        (c, ctx) -> EntryCommandProto.newBuilder().setId(id.apply(c)).setReplyTo(ctx.serializeRef(c.replyTo()))
            .build(),
        (p, ctx) -> make.apply(p.getId(), ctx.resolveRef(p.getReplyTo())));
  }

  private static UserCommandProto userCommand(UserEntry user, Optional<SipCredentials> credentials, String replyTo) {
    UserCommandProto.Builder b = UserCommandProto.newBuilder().setUser(user(user)).setReplyTo(replyTo);
    credentials.ifPresent(c -> b.setCredentials(credentials(c)));
    return b.build();
  }

  private static ProtoCodec<?, ?> tenantCommand(boolean create) {
    if (create) {
      return ProtoCodec.withContext(Directory.CreateTenant.class, "directory.CreateTenant",
          TenantCommandProto.parser(),
          (c, ctx) -> TenantCommandProto.newBuilder().setName(c.name()).setSipRealm(c.sipRealm().orElse(""))
              .setCountryCode(c.countryCode().orElse("")).setAtEpochMillis(c.at().toEpochMilli())
              .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
          (p, ctx) -> new Directory.CreateTenant(p.getName(), optional(p.getSipRealm()), optional(p.getCountryCode()),
              Instant.ofEpochMilli(p.getAtEpochMillis()), ctx.resolveRef(p.getReplyTo())));
    }
    return ProtoCodec.withContext(Directory.UpdateTenant.class, "directory.UpdateTenant", TenantCommandProto.parser(),
        (c, ctx) -> TenantCommandProto.newBuilder().setName(c.name()).setSipRealm(c.sipRealm())
            .setCountryCode(c.countryCode()).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
        (p, ctx) -> new Directory.UpdateTenant(p.getName(), p.getSipRealm(), p.getCountryCode(),
            ctx.resolveRef(p.getReplyTo())));
  }

  @Override
  public List<ProtoCodec<?, ?>> codecs() {
    return List.of(
        // --- events ---
        ProtoCodec.of(Directory.TenantCreated.class, "directory.TenantCreated", TenantCreatedProto.parser(),
            e -> TenantCreatedProto.newBuilder().setTenant(tenant(e.tenant())).build(),
            p -> new Directory.TenantCreated(tenant(p.getTenant()))),
        ProtoCodec.of(Directory.TenantUpdated.class, "directory.TenantUpdated", TenantUpdatedProto.parser(),
            e -> TenantUpdatedProto.newBuilder().setName(e.name()).setSipRealm(e.sipRealm())
                .setCountryCode(e.countryCode()).build(),
            p -> new Directory.TenantUpdated(p.getName(), p.getSipRealm(), p.getCountryCode())),
        ProtoCodec.of(Directory.TenantDeleted.class, "directory.TenantDeleted", TenantDeletedProto.parser(),
            e -> TenantDeletedProto.newBuilder().setDeletedAtEpochMillis(e.at().toEpochMilli()).build(),
            p -> new Directory.TenantDeleted(Instant.ofEpochMilli(p.getDeletedAtEpochMillis()))),
        ProtoCodec.of(Directory.UserCreated.class, "directory.UserCreated", UserSavedProto.parser(),
            e -> userSaved(e.user(), e.credentials()),
            p -> new Directory.UserCreated(user(p.getUser()), credentials(p.hasCredentials(), p.getCredentials()))),
        ProtoCodec.of(Directory.UserUpdated.class, "directory.UserUpdated", UserSavedProto.parser(),
            e -> userSaved(e.user(), e.credentials()),
            p -> new Directory.UserUpdated(user(p.getUser()), credentials(p.hasCredentials(), p.getCredentials()))),
        ProtoCodec.of(Directory.UserDeleted.class, "directory.UserDeleted", EntryDeletedProto.parser(),
            e -> deleted(e.userId()), p -> new Directory.UserDeleted(p.getId())),
        ProtoCodec.of(Directory.RingGroupCreated.class, "directory.RingGroupCreated", RingGroupProto.parser(),
            e -> ringGroup(e.group()), p -> new Directory.RingGroupCreated(ringGroup(p))),
        ProtoCodec.of(Directory.RingGroupUpdated.class, "directory.RingGroupUpdated", RingGroupProto.parser(),
            e -> ringGroup(e.group()), p -> new Directory.RingGroupUpdated(ringGroup(p))),
        ProtoCodec.of(Directory.RingGroupDeleted.class, "directory.RingGroupDeleted", EntryDeletedProto.parser(),
            e -> deleted(e.groupId()), p -> new Directory.RingGroupDeleted(p.getId())),
        ProtoCodec.of(Directory.RingGroupRotated.class, "directory.RingGroupRotated", RingGroupRotatedProto.parser(),
            e -> RingGroupRotatedProto.newBuilder().setGroupId(e.groupId()).setNextIndex(e.nextIndex()).build(),
            p -> new Directory.RingGroupRotated(p.getGroupId(), p.getNextIndex())),
        ProtoCodec.of(Directory.DidCreated.class, "directory.DidCreated", DidProto.parser(),
            e -> did(e.did()), p -> new Directory.DidCreated(did(p))),
        ProtoCodec.of(Directory.DidUpdated.class, "directory.DidUpdated", DidProto.parser(),
            e -> did(e.did()), p -> new Directory.DidUpdated(did(p))),
        ProtoCodec.of(Directory.DidDeleted.class, "directory.DidDeleted", EntryDeletedProto.parser(),
            e -> deleted(e.number()), p -> new Directory.DidDeleted(p.getId())),
        ProtoCodec.of(Directory.BusinessHoursCreated.class, "directory.BusinessHoursCreated",
            BusinessHoursProto.parser(), e -> calendar(e.calendar()),
            p -> new Directory.BusinessHoursCreated(calendar(p))),
        ProtoCodec.of(Directory.BusinessHoursUpdated.class, "directory.BusinessHoursUpdated",
            BusinessHoursProto.parser(), e -> calendar(e.calendar()),
            p -> new Directory.BusinessHoursUpdated(calendar(p))),
        ProtoCodec.of(Directory.BusinessHoursDeleted.class, "directory.BusinessHoursDeleted",
            EntryDeletedProto.parser(), e -> deleted(e.calendarId()),
            p -> new Directory.BusinessHoursDeleted(p.getId())),
        ProtoCodec.of(Directory.TrunkCreated.class, "directory.TrunkCreated", TrunkProto.parser(),
            e -> trunk(e.trunk()), p -> new Directory.TrunkCreated(trunk(p))),
        ProtoCodec.of(Directory.TrunkUpdated.class, "directory.TrunkUpdated", TrunkProto.parser(),
            e -> trunk(e.trunk()), p -> new Directory.TrunkUpdated(trunk(p))),
        ProtoCodec.of(Directory.TrunkDeleted.class, "directory.TrunkDeleted", EntryDeletedProto.parser(),
            e -> deleted(e.trunkId()), p -> new Directory.TrunkDeleted(p.getId())),
        // --- snapshot ---
        ProtoCodec.of(Directory.State.class, "directory.State", DirectoryStateProto.parser(),
            DirectoryCodecs::state, DirectoryCodecs::state),
        // --- commands ---
        tenantCommand(true),
        tenantCommand(false),
        ProtoCodec.withContext(Directory.DeleteTenant.class, "directory.DeleteTenant", EntryCommandProto.parser(),
            (c, ctx) -> EntryCommandProto.newBuilder().setAtEpochMillis(c.at().toEpochMilli())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new Directory.DeleteTenant(Instant.ofEpochMilli(p.getAtEpochMillis()),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(Directory.CreateUser.class, "directory.CreateUser", UserCommandProto.parser(),
            (c, ctx) -> userCommand(c.user(), c.credentials(), ctx.serializeRef(c.replyTo())),
            (p, ctx) -> new Directory.CreateUser(user(p.getUser()), credentials(p.hasCredentials(), p.getCredentials()),
                ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(Directory.UpdateUser.class, "directory.UpdateUser", UserCommandProto.parser(),
            (c, ctx) -> userCommand(c.user(), c.credentials(), ctx.serializeRef(c.replyTo())),
            (p, ctx) -> new Directory.UpdateUser(user(p.getUser()), credentials(p.hasCredentials(), p.getCredentials()),
                ctx.resolveRef(p.getReplyTo()))),
        byId(Directory.DeleteUser.class, "directory.DeleteUser", Directory.DeleteUser::userId,
            Directory.DeleteUser::new),
        ProtoCodec.withContext(Directory.CreateRingGroup.class, "directory.CreateRingGroup", RingGroupCommandProto.parser(),
            (c, ctx) -> RingGroupCommandProto.newBuilder().setGroup(ringGroup(c.group())).setReplyTo(ctx.serializeRef(c.replyTo()))
                .build(),
            (p, ctx) -> new Directory.CreateRingGroup(ringGroup(p.getGroup()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(Directory.UpdateRingGroup.class, "directory.UpdateRingGroup", RingGroupCommandProto.parser(),
            (c, ctx) -> RingGroupCommandProto.newBuilder().setGroup(ringGroup(c.group())).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new Directory.UpdateRingGroup(ringGroup(p.getGroup()), ctx.resolveRef(p.getReplyTo()))),
        byId(Directory.DeleteRingGroup.class, "directory.DeleteRingGroup", Directory.DeleteRingGroup::groupId,
            Directory.DeleteRingGroup::new),
        ProtoCodec.withContext(Directory.CreateDid.class, "directory.CreateDid", DidCommandProto.parser(),
            (c, ctx) -> DidCommandProto.newBuilder().setDid(did(c.did())).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new Directory.CreateDid(did(p.getDid()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(Directory.UpdateDid.class, "directory.UpdateDid", DidCommandProto.parser(),
            (c, ctx) -> DidCommandProto.newBuilder().setDid(did(c.did())).setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new Directory.UpdateDid(did(p.getDid()), ctx.resolveRef(p.getReplyTo()))),
        byId(Directory.DeleteDid.class, "directory.DeleteDid", Directory.DeleteDid::number, Directory.DeleteDid::new),
        ProtoCodec.withContext(Directory.CreateBusinessHours.class, "directory.CreateBusinessHours",
            BusinessHoursCommandProto.parser(),
            (c, ctx) -> BusinessHoursCommandProto.newBuilder().setCalendar(calendar(c.calendar())).setReplyTo(ctx.serializeRef(c.replyTo()))
                .build(),
            (p, ctx) -> new Directory.CreateBusinessHours(calendar(p.getCalendar()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(Directory.UpdateBusinessHours.class, "directory.UpdateBusinessHours",
            BusinessHoursCommandProto.parser(),
            (c, ctx) -> BusinessHoursCommandProto.newBuilder().setCalendar(calendar(c.calendar())).setReplyTo(ctx.serializeRef(c.replyTo()))
                .build(),
            (p, ctx) -> new Directory.UpdateBusinessHours(calendar(p.getCalendar()), ctx.resolveRef(p.getReplyTo()))),
        byId(Directory.DeleteBusinessHours.class, "directory.DeleteBusinessHours",
            Directory.DeleteBusinessHours::calendarId, Directory.DeleteBusinessHours::new),
        ProtoCodec.withContext(Directory.CreateTrunk.class, "directory.CreateTrunk", TrunkCommandProto.parser(),
            (c, ctx) -> TrunkCommandProto.newBuilder().setTrunk(trunk(c.trunk())).setReplyTo(ctx.serializeRef(c.replyTo()))
                .build(),
            (p, ctx) -> new Directory.CreateTrunk(trunk(p.getTrunk()), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(Directory.UpdateTrunk.class, "directory.UpdateTrunk", TrunkCommandProto.parser(),
            (c, ctx) -> TrunkCommandProto.newBuilder().setTrunk(trunk(c.trunk())).setReplyTo(ctx.serializeRef(c.replyTo()))
                .build(),
            (p, ctx) -> new Directory.UpdateTrunk(trunk(p.getTrunk()), ctx.resolveRef(p.getReplyTo()))),
        byId(Directory.DeleteTrunk.class, "directory.DeleteTrunk", Directory.DeleteTrunk::trunkId,
            Directory.DeleteTrunk::new),
        byId(Directory.GetDirectory.class, "directory.GetDirectory", c -> "",
            (String id, ActorRef<StatusReply<DirectoryView>> ref) -> new Directory.GetDirectory(ref)),
        byId(Directory.GetSipCredentials.class, "directory.GetSipCredentials", Directory.GetSipCredentials::username,
            Directory.GetSipCredentials::new),
        ProtoCodec.withContext(Directory.Resolve.class, "directory.Resolve", ResolveProto.parser(),
            (c, ctx) -> ResolveProto.newBuilder().setDialled(c.dialled()).setAtEpochMillis(c.at().toEpochMilli())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new Directory.Resolve(p.getDialled(), Instant.ofEpochMilli(p.getAtEpochMillis()),
                ctx.resolveRef(p.getReplyTo()))),
        // --- replies ---
        ProtoCodec.of(Tenant.class, "directory.Tenant", TenantProto.parser(), DirectoryCodecs::tenant,
            DirectoryCodecs::tenant),
        ProtoCodec.of(UserView.class, "directory.UserView", UserViewProto.parser(), DirectoryCodecs::userView,
            DirectoryCodecs::userView),
        ProtoCodec.of(RingGroup.class, "directory.RingGroup", RingGroupProto.parser(), DirectoryCodecs::ringGroup,
            DirectoryCodecs::ringGroup),
        ProtoCodec.of(Did.class, "directory.Did", DidProto.parser(), DirectoryCodecs::did, DirectoryCodecs::did),
        ProtoCodec.of(BusinessHours.class, "directory.BusinessHours", BusinessHoursProto.parser(),
            DirectoryCodecs::calendar, DirectoryCodecs::calendar),
        ProtoCodec.of(Trunk.class, "directory.Trunk", TrunkProto.parser(), DirectoryCodecs::trunk,
            DirectoryCodecs::trunk),
        ProtoCodec.of(DirectoryView.class, "directory.DirectoryView", DirectoryViewProto.parser(),
            DirectoryCodecs::view, DirectoryCodecs::view),
        ProtoCodec.of(DigestCredentials.class, "directory.DigestCredentials", DigestCredentialsProto.parser(),
            d -> DigestCredentialsProto.newBuilder().setUserId(d.userId()).setSipUsername(d.sipUsername())
                .setRealm(d.realm()).setHa1Md5(d.ha1Md5()).setHa1Sha256(d.ha1Sha256())
                .setExtension(d.extension()).setDisplayName(d.displayName()).build(),
            p -> new DigestCredentials(p.getUserId(), p.getSipUsername(), p.getRealm(), p.getHa1Md5(),
                p.getHa1Sha256(), p.getExtension(), p.getDisplayName())),
        ProtoCodec.of(DirectoryError.class, "directory.DirectoryError", DirectoryErrorProto.parser(),
            DirectoryCodecs::error, DirectoryCodecs::error),
        // --- the tenant registry ---
        ProtoCodec.of(TenantRegistry.TenantRegistered.class, "directory.TenantRegistered", TenantIdProto.parser(),
            e -> TenantIdProto.newBuilder().setTenantId(e.tenantId()).build(),
            p -> new TenantRegistry.TenantRegistered(p.getTenantId())),
        ProtoCodec.of(TenantRegistry.TenantUnregistered.class, "directory.TenantUnregistered", TenantIdProto.parser(),
            e -> TenantIdProto.newBuilder().setTenantId(e.tenantId()).build(),
            p -> new TenantRegistry.TenantUnregistered(p.getTenantId())),
        ProtoCodec.of(TenantRegistry.TenantIds.class, "directory.TenantIds", TenantIdsProto.parser(),
            s -> TenantIdsProto.newBuilder().addAllTenantIds(s.tenantIds()).build(),
            p -> new TenantRegistry.TenantIds(new java.util.TreeSet<>(p.getTenantIdsList()))),
        ProtoCodec.withContext(TenantRegistry.RegisterTenant.class, "directory.RegisterTenant",
            TenantRegistryCommandProto.parser(),
            (c, ctx) -> TenantRegistryCommandProto.newBuilder().setTenantId(c.tenantId())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new TenantRegistry.RegisterTenant(p.getTenantId(), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(TenantRegistry.UnregisterTenant.class, "directory.UnregisterTenant",
            TenantRegistryCommandProto.parser(),
            (c, ctx) -> TenantRegistryCommandProto.newBuilder().setTenantId(c.tenantId())
                .setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new TenantRegistry.UnregisterTenant(p.getTenantId(), ctx.resolveRef(p.getReplyTo()))),
        ProtoCodec.withContext(TenantRegistry.ListTenants.class, "directory.ListTenants",
            TenantRegistryCommandProto.parser(),
            (c, ctx) -> TenantRegistryCommandProto.newBuilder().setReplyTo(ctx.serializeRef(c.replyTo())).build(),
            (p, ctx) -> new TenantRegistry.ListTenants(ctx.resolveRef(p.getReplyTo()))));
  }

}
