package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A tenant: one customer of the installation, with its own numbering plan.
 *
 * @param sipRealm    the realm of SIP digest authentication (RFC 8760 §2); the HA1 values stored
 *                    for every user are computed for it
 * @param countryCode the E.164 country calling code (1 to 3 digits) used to read national numbers
 *                    that the tenant's users dial ({@link DialPlan})
 */
public record Tenant(String tenantId, String name, String sipRealm, String countryCode, Instant createdAt)
    implements ProtobufSerializable {
  public Tenant {
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS); // the wire and the journal carry milliseconds
  }

  /** The realm a tenant gets unless it chooses one. */
  public static String defaultRealm(String tenantId) {
    return tenantId + ".switchboard";
  }
}
