package io.switchboard.call.directory;

/**
 * What the directory keeps of the password a carrier gave us for a trunk: never the password.
 * Towards the carrier we are the digest <em>client</em>, and a digest response only needs
 * {@code HA1 = H(username:realm:password)}, so that is all that is stored. The HTTP layer computes
 * the values (off the actors) and the entity only stores them.
 *
 * @param username  the username the carrier expects in our {@code Authorization} header
 * @param realm     the carrier's realm (the one of its challenges) the HA1 values were computed with
 * @param ha1Md5    lower-case hex {@code MD5(username:realm:password)}, RFC 2617 §3.2.2.2
 * @param ha1Sha256 lower-case hex {@code SHA-256(username:realm:password)}, RFC 7616 §3.4.2 / RFC 8760
 */
public record TrunkCredentials(String username, String realm, String ha1Md5, String ha1Sha256) {

  @Override
  public String toString() {
    // Keep the HA1 values (as good as the password towards this carrier) out of logs and assertion messages.
    return "TrunkCredentials[" + username + "@" + realm + "]";
  }
}
