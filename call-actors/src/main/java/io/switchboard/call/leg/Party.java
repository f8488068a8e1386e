package io.switchboard.call.leg;

import java.util.Objects;

/**
 * One end of a call as users see it: an address (an extension, an E.164 number or a SIP/WebRTC
 * URI) and a display name, possibly empty.
 */
public record Party(String address, String displayName) {
  public Party {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(displayName, "displayName");
  }

  public static Party of(String address) {
    return new Party(address, "");
  }
}
