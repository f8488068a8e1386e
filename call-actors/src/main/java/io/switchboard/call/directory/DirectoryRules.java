package io.switchboard.call.directory;

import io.switchboard.call.directory.Directory.State;
import io.switchboard.call.directory.Directory.UserRecord;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory's invariants, checked before anything is persisted. Each check answers the first
 * problem as a {@link DirectoryError} whose message starts with the API field it is about.
 */
final class DirectoryRules {
  /** NANP, unless the tenant says otherwise. */
  static final String DEFAULT_COUNTRY_CODE = "1";
  static final int MAX_NAME_LENGTH = 100;
  static final int MAX_RING_GROUP_MEMBERS = 100;
  static final Duration MIN_MEMBER_TIMEOUT = Duration.ofSeconds(5);
  static final Duration MAX_MEMBER_TIMEOUT = Duration.ofSeconds(300);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** RFC 3261 §25.1 "unreserved" characters minus the marks that need quoting in URIs. */
  private static final Pattern SIP_USERNAME = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
  private static final Pattern REALM = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
  static final int MAX_ALLOWED_SOURCES = 100;
  static final int MAX_DIGEST_FIELD_LENGTH = 128;
  /** E.164 with the plus sign, 8 to 15 digits (a caller id a carrier accepts). */
  private static final Pattern CALLER_ID = Pattern.compile("\\+[1-9][0-9]{7,14}");
  /** A digest quoted-string without the characters that need escaping, and no controls. */
  private static final Pattern DIGEST_FIELD = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1," + MAX_DIGEST_FIELD_LENGTH + "}");

  Optional<DirectoryError> checkTenant(String name, String sipRealm, String countryCode) {
    return first(
        name(name),
        REALM.matcher(sipRealm).matches() ? none()
            : invalid("sipRealm: must be a domain name such as acme.switchboard"),
        DialPlan.isCountryCode(countryCode) ? none()
            : invalid("countryCode: must be an E.164 country calling code of 1 to 3 digits, such as 49"));
  }

  Optional<DirectoryError> checkUser(State state, UserEntry user, Optional<SipCredentials> credentials) {
    String realm = state.tenant().orElseThrow().sipRealm();
    Optional<UserRecord> before = Optional.ofNullable(state.users().get(user.userId()));
    return first(
        id("id", user.userId()),
        name("displayName", user.displayName()),
        extension(state, user.extension(), user.userId()),
        before.flatMap(b -> renumbered(state, b.user().extension(), user.extension(), "user " + user.userId())),
        user.email().filter(e -> !EMAIL.matcher(e).matches()).map(e -> error("email: must be an e-mail address")),
        SIP_USERNAME.matcher(user.sipUsername()).matches() ? none()
            : invalid("sipUsername: must be 1 to 64 letters, digits or . _ ~ -"),
        state.users().values().stream()
            .filter(r -> !r.user().userId().equals(user.userId())
                && r.user().sipUsername().equalsIgnoreCase(user.sipUsername()))
            .findFirst()
            .map(r -> DirectoryError.conflict("sipUsername: " + user.sipUsername() + " is already used by user "
                + r.user().userId())),
        credentials.flatMap(c -> credentials(c, user.sipUsername(), realm)));
  }

  private static Optional<DirectoryError> credentials(SipCredentials c, String sipUsername, String realm) {
    if (!c.matches(sipUsername, realm)) {
      // The HTTP layer hashed for a realm or username that changed meanwhile: hashing again fixes it.
      return Optional.of(DirectoryError.conflict("sipPassword: was hashed for " + c.sipUsername() + "@" + c.realm()
          + " but the user is " + sipUsername + "@" + realm + " now; send it again"));
    }
    if (c.passwordHash().isBlank() || !HEX_32.matcher(c.ha1Md5()).matches()
        || !HEX_64.matcher(c.ha1Sha256()).matches()) {
      return invalid("sipPassword: the credentials are not a password hash with MD5 and SHA-256 HA1 values");
    }
    return none();
  }

  /** {@code trunk} as it will be stored (on an update: with the kept credentials). */
  Optional<DirectoryError> checkTrunk(Trunk trunk) {
    return first(
        id("id", trunk.trunkId()),
        name("name", trunk.name()),
        AddressBlock.isHost(trunk.host()) ? none()
            : invalid("host: must be an IPv4 or IPv6 address or a DNS name such as sip.carrier.example"),
        trunk.port() < 1 || trunk.port() > 65535 ? invalid("port: must be 1 to 65535") : none(),
        trunk.transport() == null ? invalid("transport: must be udp, tcp or tls") : none(),
        allowedSources(trunk.allowedSources()),
        trunk.credentials().flatMap(DirectoryRules::trunkCredentials),
        trunk.callerId().filter(c -> !CALLER_ID.matcher(c).matches())
            .map(c -> error("callerId: must be E.164 with the plus sign and 8 to 15 digits, such as +4930123456")));
  }

  private static Optional<DirectoryError> allowedSources(List<String> sources) {
    if (sources.size() > MAX_ALLOWED_SOURCES) {
      return invalid("allowedSources: at most " + MAX_ALLOWED_SOURCES + " entries");
    }
    for (int i = 0; i < sources.size(); i++) {
      String field = "allowedSources[" + i + "]";
      Optional<String> problem = AddressBlock.problem(sources.get(i));
      if (problem.isPresent()) {
        return invalid(field + ": " + sources.get(i) + " " + problem.get());
      }
      int first = sources.indexOf(sources.get(i));
      if (first < i) {
        return invalid(field + ": " + sources.get(i) + " is already allowedSources[" + first + "]");
      }
    }
    return none();
  }

  private static Optional<DirectoryError> trunkCredentials(TrunkCredentials c) {
    return first(
        DIGEST_FIELD.matcher(c.username()).matches() ? none()
            : invalid("username: must be 1 to " + MAX_DIGEST_FIELD_LENGTH
                + " printable ASCII characters without \" or \\"),
        DIGEST_FIELD.matcher(c.realm()).matches() ? none()
            : invalid("realm: must be 1 to " + MAX_DIGEST_FIELD_LENGTH
                + " printable ASCII characters without \" or \\"),
        HEX_32.matcher(c.ha1Md5()).matches() && HEX_64.matcher(c.ha1Sha256()).matches() ? none()
            : invalid("password: the credentials are not lower-case hex MD5 and SHA-256 HA1 values"));
  }

  Optional<DirectoryError> checkRingGroup(State state, RingGroup group) {
    Optional<RingGroup> before = Optional.ofNullable(state.ringGroups().get(group.groupId()));
    Set<String> seen = new HashSet<>();
    Optional<String> duplicate = group.memberUserIds().stream().filter(id -> !seen.add(id)).findFirst();
    return first(
        id("id", group.groupId()),
        name("name", group.name()),
        extension(state, group.extension(), group.groupId()),
        before.flatMap(b -> renumbered(state, b.extension(), group.extension(), "ring group " + group.groupId())),
        group.memberUserIds().isEmpty() || group.memberUserIds().size() > MAX_RING_GROUP_MEMBERS
            ? invalid("members: must name 1 to " + MAX_RING_GROUP_MEMBERS + " users") : none(),
        group.memberUserIds().stream().filter(id -> !state.users().containsKey(id)).findFirst()
            .map(id -> error("members: user " + id + " does not exist")),
        duplicate.map(id -> error("members: user " + id + " is listed twice")),
        group.memberTimeout().compareTo(MIN_MEMBER_TIMEOUT) < 0 || group.memberTimeout().compareTo(MAX_MEMBER_TIMEOUT) > 0
            ? invalid("memberTimeoutSeconds: must be " + MIN_MEMBER_TIMEOUT.toSeconds() + " to "
                + MAX_MEMBER_TIMEOUT.toSeconds()) : none());
  }

  Optional<DirectoryError> checkDid(State state, Did did) {
    return first(
        DialPlan.isE164(did.number()) ? none() : invalid("number: must be E.164 with the plus sign, such as +4930123456"),
        target(state, "target", did.target()),
        did.calendarId().isPresent() && !state.calendars().containsKey(did.calendarId().get())
            ? invalid("calendarId: business hours " + did.calendarId().get() + " do not exist") : none(),
        did.calendarId().isPresent() && did.closedTarget().isEmpty()
            ? invalid("closedTarget: required when calendarId is set") : none(),
        did.calendarId().isEmpty() && did.closedTarget().isPresent()
            ? invalid("closedTarget: only allowed together with calendarId") : none(),
        did.closedTarget().flatMap(t -> target(state, "closedTarget", t)));
  }

  Optional<DirectoryError> checkCalendar(BusinessHours calendar) {
    Stream<Optional<DirectoryError>> days = calendar.weekly().entrySet().stream()
        .map(e -> ranges(e.getKey(), e.getValue()));
    return first(Stream.concat(Stream.of(id("id", calendar.calendarId()), name("name", calendar.name())), days)
        .toList());
  }

  private static Optional<DirectoryError> ranges(DayOfWeek day, List<BusinessHours.OpenRange> ranges) {
    String field = "weekly." + day.name().toLowerCase(Locale.ROOT);
    for (int i = 0; i < ranges.size(); i++) {
      BusinessHours.OpenRange r = ranges.get(i);
      if (r.isEmpty()) {
        return invalid(field + ": " + r.opens() + "-" + r.closes() + " closes before it opens");
      }
      for (int j = i + 1; j < ranges.size(); j++) {
        if (r.overlaps(ranges.get(j))) {
          return invalid(field + ": " + r.opens() + "-" + r.closes() + " overlaps " + ranges.get(j).opens() + "-"
              + ranges.get(j).closes());
        }
      }
    }
    return none();
  }

  /** Who still refers to a user: ring groups, and numbers that dial their extension. */
  Optional<DirectoryError> userInUse(State state, String userId) {
    UserRecord record = state.users().get(userId);
    if (record == null) {
      return none();
    }
    return first(
        state.ringGroups().values().stream().filter(g -> g.memberUserIds().contains(userId)).findFirst()
            .map(g -> DirectoryError.conflict("user " + userId + " is a member of ring group " + g.groupId() + " ("
                + g.name() + "); remove them from it first")),
        numberDialling(state, record.user().extension())
            .map(number -> DirectoryError.conflict("user " + userId + " is the target of number " + number
                + "; point the number elsewhere first")));
  }

  Optional<DirectoryError> ringGroupInUse(State state, String groupId) {
    RingGroup group = state.ringGroups().get(groupId);
    if (group == null) {
      return none();
    }
    Optional<String> byId = state.numbers().values().stream()
        .filter(d -> targets(d).anyMatch(t -> t instanceof NumberTarget.ToRingGroup g && g.groupId().equals(groupId)))
        .map(Did::number).findFirst();
    return byId.or(() -> numberDialling(state, group.extension()))
        .map(number -> DirectoryError.conflict("ring group " + groupId + " is the target of number " + number
            + "; point the number elsewhere first"));
  }

  Optional<DirectoryError> calendarInUse(State state, String calendarId) {
    return state.numbers().values().stream().filter(d -> d.calendarId().equals(Optional.of(calendarId))).findFirst()
        .map(d -> DirectoryError.conflict("business hours " + calendarId + " are used by number " + d.number()
            + "; remove them from it first"));
  }

  /** An extension is free unless another user or ring group (not {@code ownerId}) has it. */
  private static Optional<DirectoryError> extension(State state, String extension, String ownerId) {
    if (!DialPlan.isExtension(extension)) {
      return invalid("extension: must be 2 to " + DialPlan.MAX_EXTENSION_DIGITS + " digits");
    }
    Optional<String> user = state.users().values().stream()
        .filter(r -> r.user().extension().equals(extension) && !r.user().userId().equals(ownerId))
        .map(r -> "user " + r.user().userId()).findFirst();
    Optional<String> group = state.ringGroups().values().stream()
        .filter(g -> g.extension().equals(extension) && !g.groupId().equals(ownerId))
        .map(g -> "ring group " + g.groupId()).findFirst();
    return user.or(() -> group)
        .map(owner -> DirectoryError.conflict("extension: " + extension + " is already used by " + owner));
  }

  /** Changing an extension that a number dials would silently break the number. */
  private static Optional<DirectoryError> renumbered(State state, String before, String after, String what) {
    if (before.equals(after)) {
      return none();
    }
    return numberDialling(state, before).map(number -> DirectoryError.conflict("extension: " + what + " ("
        + before + ") is the target of number " + number + "; point the number elsewhere first"));
  }

  private static Optional<String> numberDialling(State state, String extension) {
    return state.numbers().values().stream()
        .filter(d -> targets(d).anyMatch(t -> t instanceof NumberTarget.ToExtension e
            && e.extension().equals(extension)))
        .map(Did::number).findFirst();
  }

  private static Stream<NumberTarget> targets(Did did) {
    return Stream.concat(Stream.of(did.target()), did.closedTarget().stream());
  }

  private static Optional<DirectoryError> target(State state, String field, NumberTarget target) {
    if (target instanceof NumberTarget.ToExtension e) {
      boolean exists = state.users().values().stream().anyMatch(r -> r.user().extension().equals(e.extension()))
          || state.ringGroups().values().stream().anyMatch(g -> g.extension().equals(e.extension()));
      return exists ? none()
          : invalid(field + ".extension: no user or ring group has extension " + e.extension());
    } else if (target instanceof NumberTarget.ToRingGroup g) {
      return state.ringGroups().containsKey(g.groupId()) ? none()
          : invalid(field + ".ringGroupId: ring group " + g.groupId() + " does not exist");
    } else if (target instanceof NumberTarget.ToQueue q) {
      return id(field + ".queueId", q.queueId());
    }
    return id(field + ".flowId", ((NumberTarget.ToIvr) target).flowId());
  }

  private static Optional<DirectoryError> id(String field, String id) {
    return ID.matcher(id).matches() ? none() : invalid(field + ": must be 1 to 64 letters, digits, _ or -");
  }

  private static Optional<DirectoryError> name(String name) {
    return name("name", name);
  }

  private static Optional<DirectoryError> name(String field, String name) {
    return name.isBlank() || name.length() > MAX_NAME_LENGTH
        ? invalid(field + ": must be 1 to " + MAX_NAME_LENGTH + " characters") : none();
  }

  @SafeVarargs
  private static Optional<DirectoryError> first(Optional<DirectoryError>... checks) {
    return first(List.of(checks));
  }

  private static Optional<DirectoryError> first(List<Optional<DirectoryError>> checks) {
    return checks.stream().flatMap(Optional::stream).findFirst();
  }

  private static Optional<DirectoryError> none() {
    return Optional.empty();
  }

  private static Optional<DirectoryError> invalid(String message) {
    return Optional.of(error(message));
  }

  private static DirectoryError error(String message) {
    return DirectoryError.invalid(message);
  }

}
