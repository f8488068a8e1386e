package io.switchboard.call.directory;

/**
 * What the directory keeps of a user's SIP password: never the password itself. The HTTP layer
 * computes these values (slowly, off the actors) and the entity only stores them.
 *
 * @param sipUsername  the username the HA1 values were computed with
 * @param realm        the realm they were computed with; a tenant whose realm changed has stale ones
 * @param passwordHash bcrypt (or Argon2id) of the password, for logins that present the password
 * @param ha1Md5       hex {@code MD5(username:realm:password)}, RFC 2617 §3.2.2.2
 * @param ha1Sha256    hex {@code SHA-256(username:realm:password)}, RFC 7616 §3.4.2 (used by RFC 8760)
 */
public record SipCredentials(String sipUsername, String realm, String passwordHash, String ha1Md5,
                             String ha1Sha256) {

  /** Whether these values still authenticate {@code sipUsername} in {@code realm}. */
  public boolean matches(String username, String currentRealm) {
    return sipUsername.equals(username) && realm.equals(currentRealm);
  }

  @Override
  public String toString() {
    // Keep hashes out of logs and assertion messages.
    return "SipCredentials[" + sipUsername + "@" + realm + "]";
  }
}
