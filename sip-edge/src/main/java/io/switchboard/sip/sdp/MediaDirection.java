package io.switchboard.sip.sdp;

import java.util.Optional;

/**
 * The direction attributes of RFC 3264 §5.1 (defined in RFC 4566 §6): from the point of view of the
 * party that wrote the SDP.
 */
public enum MediaDirection {
  SENDRECV("sendrecv"),
  SENDONLY("sendonly"),
  RECVONLY("recvonly"),
  INACTIVE("inactive");

  private final String attribute;

  MediaDirection(String attribute) {
    this.attribute = attribute;
  }

  /** The attribute name, e.g. "sendonly" (written as {@code a=sendonly}). */
  public String attribute() {
    return attribute;
  }

  /**
   * The direction named by a property attribute. Case-insensitive: every UA writes lower case, and
   * reading an odd "a=SendOnly" as no direction at all would miss a hold.
   */
  public static Optional<MediaDirection> fromAttribute(String name) {
    for (MediaDirection d : values()) {
      if (d.attribute.equalsIgnoreCase(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /**
   * The direction an answer takes for an offered stream with this direction, when the answerer is
   * willing to do what was offered (RFC 3264 §6.1): sendonly is answered recvonly, recvonly sendonly,
   * inactive inactive, sendrecv sendrecv.
   */
  public MediaDirection answer() {
    return switch (this) {
      case SENDONLY -> RECVONLY;
      case RECVONLY -> SENDONLY;
      case INACTIVE -> INACTIVE;
      case SENDRECV -> SENDRECV;
    };
  }

  /** Whether the writer of the SDP wants to send. */
  public boolean sends() {
    return this == SENDRECV || this == SENDONLY;
  }

  /** Whether the writer of the SDP wants to receive. */
  public boolean receives() {
    return this == SENDRECV || this == RECVONLY;
  }

  /** This direction with receiving taken away: what a connection address of 0.0.0.0 means (RFC 3264 §8.4). */
  MediaDirection withoutReceiving() {
    return sends() ? SENDONLY : INACTIVE;
  }
}
