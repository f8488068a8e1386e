package io.switchboard.sip.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections by transport and peer address, both those we accepted and those we dialled,
 * so that a message to a peer reuses its connection (RFC 3261 §18.1.1, §18.2.2; RFC 5626 §3.5
 * flows). Also the connection count that {@code maxConnections} bounds: a channel is admitted
 * once, and released when it closes.
 */
final class ConnectionTable {

  /** A connection's identity for reuse: the same peer on another transport is another connection. */
  record Key(Transport transport, InetSocketAddress remote) {}

  private final int maxConnections;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentMap<Key, Channel> byPeer = new ConcurrentHashMap<>();

  ConnectionTable(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  /** Counts {@code channel} against the limit; false (and nothing counted) when the limit is reached. */
  boolean admit(Channel channel) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      return false;
    }
    channel.closeFuture().addListener(f -> open.decrementAndGet());
    return true;
  }

  boolean full() {
    return open.get() >= maxConnections;
  }

  int open() {
    return open.get();
  }

  /** Makes {@code channel} the connection for its peer; the newest connection to a peer wins. */
  void register(Transport transport, InetSocketAddress remote, Channel channel) {
    Key key = new Key(transport, remote);
    byPeer.put(key, channel);
    channel.closeFuture().addListener(f -> byPeer.remove(key, channel));
  }

  /** The open connection to {@code remote} on {@code transport}. */
  Optional<Channel> find(Transport transport, InetSocketAddress remote) {
    Channel channel = byPeer.get(new Key(transport, remote));
    return channel != null && channel.isActive() ? Optional.of(channel) : Optional.empty();
  }
}
