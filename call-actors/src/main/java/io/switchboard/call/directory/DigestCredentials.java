package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;

/**
 * What the SIP edge needs to check a digest response (RFC 8760): the HA1 of the user in the
 * tenant's current realm, for MD5 and SHA-256.
 */
public record DigestCredentials(String userId, String sipUsername, String realm, String ha1Md5, String ha1Sha256,
                                String extension, String displayName)
    implements ProtobufSerializable {
  @Override
  public String toString() {
    return "DigestCredentials[" + sipUsername + "@" + realm + ", user " + userId + "]";
  }
}
