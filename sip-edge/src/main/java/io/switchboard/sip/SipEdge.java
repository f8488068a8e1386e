package io.switchboard.sip;

import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The wiring point of the SIP edge: cluster-node calls {@link #init} on nodes with the
 * {@code edge} role. Transports, transactions and the registrar land with the SIP edge issue;
 * until then nothing listens on the SIP ports.
 */
public final class SipEdge {
  private SipEdge() {}

  public static void init(ActorSystem<?> system, SipSettings settings) {
    system.log().debug("sip-edge ready (no SIP transport yet; will listen on {}:{} and TLS {})",
        settings.bindHost(), settings.port(), settings.tlsPort());
  }
}
