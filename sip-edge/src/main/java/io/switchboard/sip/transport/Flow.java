package io.switchboard.sip.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The path a message took or will take: transport, our local address and the peer's address. For
 * connection-oriented transports, sending on the flow of a received message reuses that connection
 * while it is open (RFC 3261 §18.2.2), and opens a new one to {@code remote} otherwise.
 */
public record Flow(Transport transport, InetSocketAddress local, InetSocketAddress remote) {
  public Flow {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
  }

  @Override
  public String toString() {
    return transport + " " + local + "<->" + remote;
  }
}
