package io.switchboard.sip.transport;

import java.util.Locale;
import java.util.Optional;

/** The SIP transports the edge speaks (RFC 3261 §18, RFC 7118 for WS/WSS), as named in Via. */
public enum Transport {
  UDP(false, false), TCP(true, false), TLS(true, true), WS(true, false), WSS(true, true);

  private final boolean reliable;
  private final boolean secure;

  Transport(boolean reliable, boolean secure) {
    this.reliable = reliable;
    this.secure = secure;
  }

  /** Reliable transports get no retransmissions (RFC 3261 §17.1.1.2 timer A, §17.2.1 timer G). */
  public boolean reliable() {
    return reliable;
  }

  public boolean secure() {
    return secure;
  }

  /** The Via transport token ("UDP", "TLS", "WS"...). */
  public String viaName() {
    return name();
  }

  public static Optional<Transport> fromViaName(String name) {
    try {
      return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
