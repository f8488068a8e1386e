package io.switchboard.sip.b2bua;

import io.switchboard.sip.transport.Flow;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The flow each device registered over, by its Contact URI. A phone behind NAT, or one on TCP, TLS or
 * a WebSocket, can only be reached back along the flow its REGISTER came on (RFC 5626 §5.3, RFC 7118
 * §5): the Contact it wrote is often unroutable. Entries lapse with the registration; the table is
 * capped so that a registration flood cannot grow it without bound.
 */
public final class RegisteredFlows {
  /** At most this many registered devices per edge node. */
  public static final int MAX_ENTRIES = 200_000;

  private record Entry(Flow flow, Instant expiresAt) {}

  private final Map<String, Entry> byContact = new ConcurrentHashMap<>();
  private final Clock clock;

  public RegisteredFlows(Clock clock) {
    this.clock = clock;
  }

  /** False when the table is full (the registrar then answers 503). */
  public boolean put(String contactUri, Flow flow, Instant expiresAt) {
    if (byContact.size() >= MAX_ENTRIES && !byContact.containsKey(contactUri)) {
      prune();
      if (byContact.size() >= MAX_ENTRIES) {
        return false;
      }
    }
    byContact.put(contactUri, new Entry(flow, expiresAt));
    return true;
  }

  public void remove(String contactUri) {
    byContact.remove(contactUri);
  }

  public Optional<Flow> find(String contactUri) {
    Entry e = byContact.get(contactUri);
    return e == null || !e.expiresAt().isAfter(clock.instant()) ? Optional.empty() : Optional.of(e.flow());
  }

  public void prune() {
    Instant now = clock.instant();
    for (Iterator<Entry> it = byContact.values().iterator(); it.hasNext(); ) {
      if (!it.next().expiresAt().isAfter(now)) {
        it.remove();
      }
    }
  }
}
