package io.switchboard.call.directory;

import io.switchboard.call.routing.RingStrategy;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Directory values for tests; credentials are fake but well-formed (hashing lives in the HTTP layer). */
final class DirectoryFixtures {
  private DirectoryFixtures() {}

  static UserEntry user(String id, String extension) {
    return new UserEntry(id, "User " + id, extension, Optional.of(id + "@example.com"), id);
  }

  static SipCredentials credentials(String username, String realm) {
    return new SipCredentials(username, realm, "$2y$10$abcdefghijklmnopqrstuv", "0".repeat(31) + "1",
        "a".repeat(63) + "b");
  }

  static RingGroup group(String id, String extension, RingStrategy strategy, String... members) {
    return new RingGroup(id, "Group " + id, extension, strategy, List.of(members), Duration.ofSeconds(20));
  }

  static Did did(String number, NumberTarget target) {
    return new Did(number, target, Optional.empty(), Optional.empty());
  }

  /** HA1 values are fake but well-formed lower-case hex. */
  static TrunkCredentials trunkCredentials(String username, String realm) {
    return new TrunkCredentials(username, realm, "0".repeat(31) + "2", "c".repeat(63) + "d");
  }

  /** A UDP trunk to {@code host}:5060 that accepts 192.0.2.0/24 and one IPv6 block. */
  static Trunk trunk(String id, String host) {
    return new Trunk(id, "Carrier " + id, host, 5060, Trunk.Transport.UDP, List.of("192.0.2.0/24", "2001:db8::/32"),
        Optional.of(trunkCredentials("acme-" + id, "sip.carrier.example")), true, Optional.of("+4930123456"));
  }

  /** Monday to Friday 09:00-17:00 in {@code zone}, closed on {@code holidays}. */
  static BusinessHours officeHours(String id, ZoneId zone, LocalDate... holidays) {
    List<BusinessHours.OpenRange> nineToFive = List.of(
        new BusinessHours.OpenRange(LocalTime.of(9, 0), LocalTime.of(17, 0)));
    return BusinessHours.of(id, "Office " + id, zone, Map.of(DayOfWeek.MONDAY, nineToFive,
        DayOfWeek.TUESDAY, nineToFive, DayOfWeek.WEDNESDAY, nineToFive, DayOfWeek.THURSDAY, nineToFive,
        DayOfWeek.FRIDAY, nineToFive), Set.of(holidays));
  }
}
