package io.switchboard.sip.b2bua;

import io.switchboard.sip.transaction.TimerSettings;
import io.switchboard.sip.transaction.TransactionLayer;
import io.switchboard.sip.transaction.TransactionTimers;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.SipSender;
import io.switchboard.sip.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * What the legs of one edge node share: the transaction layer, a way to pick our local address for
 * a new flow, the dialog table and the flows of registered devices. Local to the node; never sent.
 */
public record SipEdgeContext(TransactionLayer transactions, SipSender sender, FlowFactory flows, DialogTable dialogs,
                             RegisteredFlows registeredFlows, TransactionTimers timers, TimerSettings timerSettings,
                             Duration reportTimeout) {

  /** Our side of a new flow to {@code remote} over {@code transport}; empty when we do not listen on it. */
  public interface FlowFactory {
    Optional<Flow> flowTo(Transport transport, InetSocketAddress remote);
  }
}
