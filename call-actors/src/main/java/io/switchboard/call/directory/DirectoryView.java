package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.util.List;

/**
 * A tenant's whole directory as the admin API reads it, each list sorted by id: no user
 * credentials; trunks carry the HA1 values of their credentials (what the SIP edge needs to answer
 * the carrier's challenges, never a password), which the admin API never shows.
 */
public record DirectoryView(Tenant tenant, List<UserView> users, List<RingGroup> ringGroups, List<Did> numbers,
                            List<BusinessHours> calendars, List<Trunk> trunks) implements ProtobufSerializable {
  public DirectoryView {
    users = List.copyOf(users);
    ringGroups = List.copyOf(ringGroups);
    numbers = List.copyOf(numbers);
    calendars = List.copyOf(calendars);
    trunks = List.copyOf(trunks);
  }
}
