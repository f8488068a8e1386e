package io.switchboard.sip.message;

import java.util.Arrays;

/**
 * A message body: immutable octets compared by content, so that requests and responses can be
 * plain records (a {@code byte[]} component would compare by identity and leak mutability).
 */
public final class SipBody {
  public static final SipBody EMPTY = new SipBody(new byte[0]);

  private final byte[] octets;

  private SipBody(byte[] octets) {
    this.octets = octets;
  }

  public static SipBody of(byte[] octets) {
    return octets.length == 0 ? EMPTY : new SipBody(octets.clone());
  }

  /** A copy of the octets. */
  public byte[] bytes() {
    return octets.clone();
  }

  public int length() {
    return octets.length;
  }

  void writeTo(java.io.ByteArrayOutputStream out) {
    out.writeBytes(octets);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SipBody b && Arrays.equals(octets, b.octets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(octets);
  }

  @Override
  public String toString() {
    return octets.length + " body octets";
  }
}
