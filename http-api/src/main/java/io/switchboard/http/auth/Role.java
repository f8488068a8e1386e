package io.switchboard.http.auth;

/** What a token may do. */
public enum Role {
  /** Installation-wide: every tenant, tenants themselves, and every token. */
  OWNER,
  /** Exactly one tenant's data and that tenant's admin tokens. */
  ADMIN
}
