package io.switchboard.call.directory;

import io.switchboard.call.directory.Directory.State;
import io.switchboard.call.routing.Destination;
import io.switchboard.call.routing.RingStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a dialled string goes in one tenant: extensions first, then provisioned numbers (with
 * their business hours), then any other number as an outside call. {@link DialPlan} says which
 * strings are which.
 */
final class DirectoryRouting {

  /** The destination, and the rotation to persist when a round-robin group was chosen. */
  record Resolution(Destination destination, Optional<Directory.RingGroupRotated> rotated) {
    static Resolution of(Destination destination) {
      return new Resolution(destination, Optional.empty());
    }
  }

  private final State state;
  private final String countryCode;

  DirectoryRouting(State state) {
    this.state = state;
    this.countryCode = state.tenant().orElseThrow().countryCode();
  }

  Resolution resolve(String dialled, Instant at) {
    String digits = DialPlan.clean(dialled);
    if (DialPlan.isExtension(digits)) {
      return byExtension(digits).orElseGet(() -> Resolution.of(new Destination.NotFound(dialled)));
    }
    for (String number : DialPlan.candidates(digits, countryCode)) {
      Did did = state.numbers().get(number);
      if (did != null) {
        return toTarget(did, at, dialled);
      }
    }
    return DialPlan.toE164(digits, countryCode)
        .map(e164 -> Resolution.of(new Destination.ToExternal(e164)))
        .orElseGet(() -> Resolution.of(new Destination.NotFound(dialled)));
  }

  private Optional<Resolution> byExtension(String extension) {
    Optional<Resolution> user = state.users().values().stream()
        .filter(r -> r.user().extension().equals(extension))
        .findFirst()
        .map(r -> Resolution.of(new Destination.ToUser(r.user().userId(), extension)));
    return user.or(() -> state.ringGroups().values().stream()
        .filter(g -> g.extension().equals(extension))
        .findFirst()
        .map(this::ring));
  }

  /** Business hours choose between the open and the closed target. */
  private Resolution toTarget(Did did, Instant at, String dialled) {
    boolean closed = did.calendarId().map(id -> state.calendars().get(id))
        .map(calendar -> !calendar.isOpenAt(at))
        .orElse(false);
    NumberTarget target = closed ? did.closedTarget().orElse(did.target()) : did.target();
    if (target instanceof NumberTarget.ToExtension e) {
      return byExtension(e.extension()).orElseGet(() -> Resolution.of(new Destination.NotFound(dialled)));
    } else if (target instanceof NumberTarget.ToRingGroup g) {
      return Optional.ofNullable(state.ringGroups().get(g.groupId())).map(this::ring)
          .orElseGet(() -> Resolution.of(new Destination.NotFound(dialled)));
    } else if (target instanceof NumberTarget.ToQueue q) {
      return Resolution.of(new Destination.ToQueue(q.queueId()));
    }
    return Resolution.of(new Destination.ToIvr(((NumberTarget.ToIvr) target).flowId()));
  }

  /**
   * Members in ringing order. Round robin starts at the persisted cursor and moves it on by one,
   * so that consecutive calls (also across a failover) start with consecutive members.
   */
  private Resolution ring(RingGroup group) {
    List<Destination.ToUser> members = group.memberUserIds().stream()
        .map(id -> new Destination.ToUser(id, state.users().get(id).user().extension()))
        .toList();
    if (group.strategy() != RingStrategy.ROUND_ROBIN) {
      return Resolution.of(new Destination.ToRingGroup(group.groupId(), group.name(), group.strategy(), members,
          group.memberTimeout()));
    }
    int start = state.cursors().getOrDefault(group.groupId(), 0) % members.size();
    List<Destination.ToUser> rotated = new ArrayList<>(members.subList(start, members.size()));
    rotated.addAll(members.subList(0, start));
    return new Resolution(
        new Destination.ToRingGroup(group.groupId(), group.name(), group.strategy(), rotated, group.memberTimeout()),
        Optional.of(new Directory.RingGroupRotated(group.groupId(), (start + 1) % members.size())));
  }
}
