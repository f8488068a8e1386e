package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.util.List;

/** A tenant's whole directory as the admin API reads it: no credentials, each list sorted by id. */
public record DirectoryView(Tenant tenant, List<UserView> users, List<RingGroup> ringGroups, List<Did> numbers,
                            List<BusinessHours> calendars) implements ProtobufSerializable {
  public DirectoryView {
    users = List.copyOf(users);
    ringGroups = List.copyOf(ringGroups);
    numbers = List.copyOf(numbers);
    calendars = List.copyOf(calendars);
  }
}
