package io.switchboard.http.auth;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * An access token as stored: never the token itself, only {@code secretHash} (bcrypt of the whole
 * token string).
 *
 * @param tenantId the tenant of an {@link Role#ADMIN} token; empty for owner tokens, which may
 *                 still be scoped to nothing else
 */
public record TokenRecord(String tokenId, Role role, Optional<String> tenantId, String description,
                          String secretHash, Instant createdAt, Optional<Instant> revokedAt)
    implements ProtobufSerializable {
  public TokenRecord {
    createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
    revokedAt = revokedAt.map(t -> t.truncatedTo(ChronoUnit.MILLIS));
  }

  public boolean isRevoked() {
    return revokedAt.isPresent();
  }

  public Principal principal() {
    return new Principal(tokenId, role, tenantId);
  }

  TokenRecord revoked(Instant at) {
    return new TokenRecord(tokenId, role, tenantId, description, secretHash, createdAt, Optional.of(at));
  }

  @Override
  public String toString() {
    return "TokenRecord[" + tokenId + ", " + role + tenantId.map(t -> " of " + t).orElse("")
        + (isRevoked() ? ", revoked" : "") + "]";
  }
}
