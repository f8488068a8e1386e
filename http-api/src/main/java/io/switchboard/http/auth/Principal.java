package io.switchboard.http.auth;

import java.util.Optional;

/**
 * Who made an authenticated request: the token's id, its role and, for a tenant admin, its tenant.
 * Routes call {@link #mayAccessTenant} and answer 404 (never 403) when it is false, so that a
 * tenant admin cannot tell another tenant's ids from ids that do not exist.
 */
public record Principal(String tokenId, Role role, Optional<String> tenantId) {
  public Principal {
    if (role == Role.ADMIN && tenantId.isEmpty()) {
      throw new IllegalArgumentException("an admin token belongs to a tenant");
    }
  }

  public boolean isOwner() {
    return role == Role.OWNER;
  }

  public boolean mayAccessTenant(String tenant) {
    return isOwner() || tenantId.equals(Optional.of(tenant));
  }
}
