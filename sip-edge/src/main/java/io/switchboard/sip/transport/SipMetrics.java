package io.switchboard.sip.transport;

import java.util.EnumMap;
import java.util.Map;
import kamon.Kamon;
import kamon.metric.Counter;

/**
 * Message counters per transport, through Kamon (exported by the node's Prometheus endpoint):
 * {@code switchboard.sip.messages{transport, direction=in|out}} counts messages parsed and
 * messages written, {@code switchboard.sip.malformed{transport}} messages the parser refused.
 * Instruments are looked up once, so counting costs an increment.
 */
final class SipMetrics {
  static final String MESSAGES = "switchboard.sip.messages";
  static final String MALFORMED = "switchboard.sip.malformed";

  private final Map<Transport, Counter> in = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> out = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> malformed = new EnumMap<>(Transport.class);

  SipMetrics() {
    for (Transport t : Transport.values()) {
      in.put(t, Kamon.counter(MESSAGES, "SIP messages received and sent, by transport")
          .withTag("transport", t.name()).withTag("direction", "in"));
      out.put(t, Kamon.counter(MESSAGES, "SIP messages received and sent, by transport")
          .withTag("transport", t.name()).withTag("direction", "out"));
      malformed.put(t, Kamon.counter(MALFORMED, "SIP messages the parser refused, by transport")
          .withTag("transport", t.name()));
    }
  }

  void received(Transport t) {
    in.get(t).increment();
  }

  void sent(Transport t) {
    out.get(t).increment();
  }

  void malformed(Transport t) {
    malformed.get(t).increment();
  }
}
