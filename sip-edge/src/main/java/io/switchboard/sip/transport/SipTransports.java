package io.switchboard.sip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannelConfig;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.sip.message.SipEncoder;
import io.switchboard.sip.message.SipLimits;
import io.switchboard.sip.message.SipMessage;
import io.switchboard.sip.message.SipParseResult;
import io.switchboard.sip.message.SipParseResult.Malformed;
import io.switchboard.sip.message.SipParseResult.Parsed;
import io.switchboard.sip.message.SipParser;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.message.SipValidation;
import io.switchboard.sip.message.SipVerdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP transport layer (RFC 3261 §18): UDP and TCP on one port, TLS, and optionally SIP over
 * WebSocket and secure WebSocket (RFC 7118), on Netty with native epoll where available.
 *
 * <p>Receiving: each message is parsed ({@link SipParser}), validated ({@link SipValidation}) and
 * either handed to the {@link InboundSipHandler} with its {@link Flow} (requests with {@code
 * received}/{@code rport} stamped on the top Via, RFC 3261 §18.2.1 and RFC 3581 §4), answered
 * statelessly with an error (malformed or rejected requests), or dropped (malformed or discarded
 * responses, ACKs). A malformed message on TCP or TLS also closes the connection: framing is lost
 * (RFC 3261 §18.3).
 *
 * <p>Sending ({@link #send}): UDP from the listening socket; TCP and TLS over the open connection
 * to the peer, accepted or dialled, else a new one; WS and WSS only over an open connection. It
 * never blocks: the stage completes when the write does.
 *
 * <p>Threads: {@link #EVENT_LOOP_THREADS} Netty event loops carry every socket; the handler is
 * called on them and must not block. {@link #send} may be called from any thread.
 *
 * <p>Bounds: {@link TransportSettings#maxConnections()} connections; per connection one message of
 * {@link SipLimits#MAX_MESSAGE_SIZE} being read and {@link #CONNECTION_WATER_MARK} bytes queued
 * for writing (more fails the send); idle connections close after {@link
 * TransportSettings#idleTimeout()}.
 */
public final class SipTransports implements SipSender, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SipTransports.class);

  /**
   * Event-loop threads shared by every transport. Parsing is cheap and the handler must not
   * block, so two threads carry thousands of messages per second; more would only compete with
   * the actors for the cores.
   */
  public static final int EVENT_LOOP_THREADS = 2;

  /** How long opening a TCP or TLS connection may take before the send fails (RFC 3261 §17.1.4 would wait 64*T1). */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Largest UDP payload over IPv4: 65 535 − 20 (IP header) − 8 (UDP header) (RFC 768, RFC 791). */
  public static final int MAX_UDP_PAYLOAD_BYTES = 65_507;

  /** How long {@link #close()} waits for the event loops to close every socket and stop. */
  public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);

  /**
   * Receive buffer per datagram read: any UDP payload fits, so no datagram is truncated (Netty's
   * default of 2048 bytes would cut INVITEs with large SDP).
   */
  static final int DATAGRAM_READ_BUFFER_BYTES = 64 * 1024;

  /**
   * Bytes queued for writing on one connection: above the high mark sends to that peer fail
   * until it drains below the low mark, so a peer that stops reading cannot grow our memory.
   */
  static final WriteBufferWaterMark CONNECTION_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  /** The same bound for the shared UDP socket, larger since every UDP peer goes through it. */
  static final WriteBufferWaterMark UDP_WATER_MARK = new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024);

  /** Pending TCP connections the kernel queues per listener before we accept them. */
  static final int LISTEN_BACKLOG = 1024;

  /** With port 0, UDP and TCP must get the same free port; tries this many TCP ports. */
  static final int EPHEMERAL_BIND_ATTEMPTS = 10;

  /** WebSocket handshake (HTTP/1.1 upgrade) limits: request line, headers, and a body it never needs. */
  static final int MAX_HTTP_INITIAL_LINE_BYTES = 4096;
  static final int MAX_HTTP_HEADER_BYTES = 8192;
  static final int MAX_HTTP_HANDSHAKE_BODY_BYTES = 8192;

  /** A WebSocket client must finish its handshake within this time. */
  static final Duration WEBSOCKET_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * RFC 7118: path "/", subprotocol "sip", one SIP message per WebSocket message of at most
   * {@link SipLimits#MAX_MESSAGE_SIZE} bytes.
   */
  private static final WebSocketServerProtocolConfig WEBSOCKET_CONFIG = WebSocketServerProtocolConfig.newBuilder()
      .websocketPath(WebSocketUpgradeGuard.PATH)
      .checkStartsWith(true) // the guard has checked the path; "/?query" is fine
      .subprotocols(WebSocketUpgradeGuard.SUBPROTOCOL)
      .handshakeTimeoutMillis(WEBSOCKET_HANDSHAKE_TIMEOUT.toMillis())
      .decoderConfig(WebSocketDecoderConfig.newBuilder()
          .maxFramePayloadLength(SipLimits.MAX_MESSAGE_SIZE).allowExtensions(false).build())
      .build();

  private static final AttributeKey<Transport> TRANSPORT = AttributeKey.valueOf(SipTransports.class, "transport");
  private static final AttributeKey<Flow> FLOW = AttributeKey.valueOf(SipTransports.class, "flow");

  /**
   * Netty's channel classes: native epoll on Linux, NIO elsewhere. The epoll artifact is a
   * runtime dependency (it carries a native library per platform), so it is looked up by name.
   */
  private record Sockets(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
      Class<? extends Channel> socketChannel, Class<? extends Channel> datagramChannel) {
    private static final String EPOLL = "io.netty.channel.epoll.";

    static Sockets best() {
      try {
        ClassLoader loader = SipTransports.class.getClassLoader();
        if ((Boolean) Class.forName(EPOLL + "Epoll", true, loader).getMethod("isAvailable").invoke(null)) {
          return new Sockets("epoll",
              (IoHandlerFactory) Class.forName(EPOLL + "EpollIoHandler", true, loader).getMethod("newFactory").invoke(null),
              Class.forName(EPOLL + "EpollServerSocketChannel", true, loader).asSubclass(ServerChannel.class),
              Class.forName(EPOLL + "EpollSocketChannel", true, loader).asSubclass(Channel.class),
              Class.forName(EPOLL + "EpollDatagramChannel", true, loader).asSubclass(Channel.class));
        }
      } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
        log.debug("Native epoll transport not usable, using NIO: {}", e.toString());
      }
      return new Sockets("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
          NioSocketChannel.class, NioDatagramChannel.class);
    }
  }

  private final TransportSettings settings;
  private final InboundSipHandler handler;
  private final Sockets sockets;
  private final EventLoopGroup group;
  private final SslContext serverTls;
  private final SslContext clientTls;
  private final ConnectionTable connections;
  private final SipMetrics metrics = new SipMetrics();
  private final Map<Transport, Channel> listeners = new ConcurrentHashMap<>();
  /**
   * Every open channel, listeners and connections (a channel leaves when it closes), so that
   * {@link #close()} closes them itself: terminating the event loops alone was seen to leave
   * listening sockets open.
   */
  private final ChannelGroup channels = new DefaultChannelGroup("sip-transports", GlobalEventExecutor.INSTANCE);
  private final ConcurrentMap<ConnectionTable.Key, CompletableFuture<Channel>> dialling = new ConcurrentHashMap<>();
  private final ConnectionIngress connectionIngress = new ConnectionIngress();
  private final AtomicBoolean closed = new AtomicBoolean();

  private SipTransports(TransportSettings settings, InboundSipHandler handler, SslContext serverTls, SslContext clientTls) {
    this.settings = settings;
    this.handler = handler;
    this.serverTls = serverTls;
    this.clientTls = clientTls;
    this.sockets = Sockets.best();
    this.group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, sockets.ioHandlers());
    this.connections = new ConnectionTable(settings.maxConnections());
  }

  /**
   * Loads the TLS credentials, binds every enabled transport and starts receiving. Fails with an
   * exception naming the transport, address and port that could not be bound (nothing stays
   * bound then), or the certificate file at fault.
   */
  public static SipTransports start(TransportSettings settings, InboundSipHandler handler) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(handler, "handler");
    TlsCredentials credentials = TlsCredentials.load(settings.certificates());
    SipTransports transports = new SipTransports(settings, handler, credentials.serverContext(),
        credentials.clientContext(settings.clientTrust()));
    try {
      transports.bindAll();
    } catch (RuntimeException e) {
      transports.close();
      throw e;
    }
    log.info("SIP transports ({}) listening: {}", transports.sockets.name(), transports.describe());
    return transports;
  }

  /**
   * The address a transport is bound to, with the actual port (also when configured as 0).
   *
   * @throws IllegalStateException if {@code transport} is not enabled (see {@link #enabledTransports()})
   */
  public InetSocketAddress localAddress(Transport transport) {
    Channel listener = listeners.get(transport);
    if (listener == null) {
      throw new IllegalStateException("SIP over " + transport + " is not enabled");
    }
    return (InetSocketAddress) listener.localAddress();
  }

  /** The transports that are listening (UDP, TCP and TLS always; WS and WSS when configured). */
  public Set<Transport> enabledTransports() {
    Set<Transport> out = EnumSet.noneOf(Transport.class);
    out.addAll(listeners.keySet());
    return out;
  }

  /**
   * The flow to send to {@code remote} on {@code transport}: over the open connection to it if
   * there is one (its local address), else from the listening address.
   *
   * @throws IllegalStateException if {@code transport} is not enabled
   */
  public Flow flowTo(Transport transport, InetSocketAddress remote) {
    InetSocketAddress local = connections.find(transport, remote)
        .map(c -> (InetSocketAddress) c.localAddress())
        .orElseGet(() -> localAddress(transport));
    return new Flow(transport, local, remote);
  }

  /**
   * Where the response to {@code request}, received on {@code arrivedOn}, goes (RFC 3261 §18.2.2,
   * RFC 3581 §4): the same connection on TCP/TLS/WS/WSS; on UDP the top Via's {@code received}
   * address (else its sent-by address) and its {@code rport} port (else the sent-by port, 5060 by
   * default). {@code maddr} is not supported.
   */
  public static Flow responseFlow(SipRequest request, Flow arrivedOn) {
    return ViaRouting.responseFlow(request, arrivedOn);
  }

  /** Open TCP, TLS, WS and WSS connections, accepted and dialled, including ones still handshaking. */
  public int openConnections() {
    return connections.open();
  }

  /**
   * Sends {@code message} on {@code flow} (see the class comment for the rules per transport).
   * {@code flow.remote()} must be resolved: name resolution (RFC 3263) is the caller's job, and
   * doing it here would block. The stage fails with a {@link SipSendException}.
   */
  @Override
  public CompletionStage<Void> send(SipMessage message, Flow flow) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(flow, "flow");
    Transport transport = flow.transport();
    InetSocketAddress remote = flow.remote();
    if (closed.get()) {
      return failed("the SIP transports are closed; cannot send to " + flow);
    }
    if (!listeners.containsKey(transport)) {
      return failed("SIP over " + transport + " is not enabled; cannot send to " + remote);
    }
    if (remote.isUnresolved()) {
      return failed("address " + remote + " is not resolved; resolve it (RFC 3263) before sending");
    }
    byte[] bytes = SipEncoder.encode(message);
    switch (transport) {
      case UDP:
        return sendDatagram(bytes, remote);
      case TCP:
      case TLS:
        Optional<Channel> open = connections.find(transport, remote);
        if (open.isPresent()) {
          return write(open.get(), transport, bytes);
        }
        return dial(transport, remote).thenCompose(channel -> write(channel, transport, bytes));
      default:
        return connections.find(transport, remote)
            .map(channel -> write(channel, transport, bytes))
            .orElseGet(() -> failed("no open " + transport + " connection to " + remote
                + "; WebSocket clients cannot be dialled (RFC 7118: only the client opens the connection)"));
    }
  }

  /**
   * Closes every socket and stops the event loops, waiting up to {@link #SHUTDOWN_TIMEOUT} (not
   * when called on one of its own event-loop threads). Pending sends fail. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean mayWait = !onEventLoop();
    Future<?> closedAll = channels.close();
    if (mayWait) {
      closedAll.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
    }
    Future<?> terminated = group.shutdownGracefully(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (mayWait) {
      terminated.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
    }
    log.info("SIP transports closed");
  }

  // ---- binding ---------------------------------------------------------------------------

  private void bindAll() {
    InetAddress host;
    try {
      host = InetAddress.getByName(settings.bindHost());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("SIP bindHost '" + settings.bindHost() + "' cannot be resolved", e);
    }
    bindUdpAndTcp(host);
    bindListener(Transport.TLS, new InetSocketAddress(host, settings.tlsPort()));
    settings.wsPort().ifPresent(p -> bindListener(Transport.WS, new InetSocketAddress(host, p)));
    settings.wssPort().ifPresent(p -> bindListener(Transport.WSS, new InetSocketAddress(host, p)));
  }

  /** RFC 3261 §18: UDP and TCP on the same port; with port 0, a free port that is free for both. */
  private void bindUdpAndTcp(InetAddress host) {
    int attempts = settings.udpTcpPort() == 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      Channel tcp = bindListener(Transport.TCP, new InetSocketAddress(host, settings.udpTcpPort()));
      int port = ((InetSocketAddress) tcp.localAddress()).getPort();
      try {
        bindUdp(new InetSocketAddress(host, port));
        return;
      } catch (IllegalStateException e) {
        listeners.remove(Transport.TCP);
        tcp.close().awaitUninterruptibly();
        if (attempt >= attempts) {
          throw e;
        }
      }
    }
  }

  private Channel bindListener(Transport transport, InetSocketAddress address) {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(sockets.serverChannel())
        .option(ChannelOption.SO_BACKLOG, LISTEN_BACKLOG)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, CONNECTION_WATER_MARK)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            if (closed.get()) {
              channel.close(); // accepted while close() runs: it would miss this one
              return;
            }
            if (!connections.admit(channel)) {
              log.debug("Refusing a {} connection from {}: maxConnections ({}) reached",
                  transport, channel.remoteAddress(), settings.maxConnections());
              channel.close();
              return;
            }
            initConnection(channel, transport, Optional.empty());
          }
        });
    Channel listener = bound(bootstrap.bind(address), transport, address);
    channels.add(listener);
    listeners.put(transport, listener);
    return listener;
  }

  private void bindUdp(InetSocketAddress address) {
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(sockets.datagramChannel())
        .option(ChannelOption.SO_RCVBUF, settings.udpReceiveBufferBytes())
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_READ_BUFFER_BYTES))
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
        .handler(new DatagramIngress());
    Channel udp = bound(bootstrap.bind(address), Transport.UDP, address);
    channels.add(udp);
    listeners.put(Transport.UDP, udp);
    int effective = ((DatagramChannelConfig) udp.config()).getReceiveBufferSize();
    if (effective < settings.udpReceiveBufferBytes()) {
      log.warn("SIP UDP receive buffer is {} bytes, not the {} configured: the kernel caps it "
          + "(raise net.core.rmem_max), and bursts may be dropped", effective, settings.udpReceiveBufferBytes());
    }
  }

  private static Channel bound(ChannelFuture bind, Transport transport, InetSocketAddress address) {
    bind.awaitUninterruptibly();
    if (!bind.isSuccess()) {
      Throwable cause = bind.cause();
      throw new IllegalStateException("cannot bind SIP " + transport + " to " + address.getAddress().getHostAddress()
          + " port " + address.getPort() + ": " + cause.getMessage(), cause);
    }
    return bind.channel();
  }

  private void initConnection(Channel channel, Transport transport, Optional<InetSocketAddress> dialled) {
    channels.add(channel);
    channel.attr(TRANSPORT).set(transport);
    ChannelPipeline p = channel.pipeline();
    if (transport.secure()) {
      p.addLast("tls", dialled
          .map(r -> clientTls.newHandler(channel.alloc(), r.getHostString(), r.getPort()))
          .orElseGet(() -> serverTls.newHandler(channel.alloc())));
    }
    p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    if (transport == Transport.WS || transport == Transport.WSS) {
      p.addLast("http", new HttpServerCodec(MAX_HTTP_INITIAL_LINE_BYTES, MAX_HTTP_HEADER_BYTES, MAX_HTTP_HANDSHAKE_BODY_BYTES));
      p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_HANDSHAKE_BODY_BYTES));
      p.addLast("ws-guard", new WebSocketUpgradeGuard());
      p.addLast("ws", new WebSocketServerProtocolHandler(WEBSOCKET_CONFIG));
      p.addLast("ws-aggregator", new WebSocketFrameAggregator(SipLimits.MAX_MESSAGE_SIZE));
      p.addLast("sip-ws", new SipWebSocketDecoder());
    } else {
      p.addLast("sip-stream", new SipStreamDecoder());
    }
    p.addLast("sip", connectionIngress);
  }

  // ---- sending ---------------------------------------------------------------------------

  private CompletionStage<Void> sendDatagram(byte[] bytes, InetSocketAddress remote) {
    if (bytes.length > MAX_UDP_PAYLOAD_BYTES) {
      // RFC 3261 §18.1.1: a large request belongs on a congestion-controlled transport; choosing
      // one is the transaction layer's decision.
      return failed("a message of " + bytes.length + " octets does not fit a UDP datagram (at most "
          + MAX_UDP_PAYLOAD_BYTES + "); send it over TCP");
    }
    Channel udp = listeners.get(Transport.UDP);
    return write(udp, new DatagramPacket(Unpooled.wrappedBuffer(bytes), remote), Transport.UDP, remote);
  }

  private CompletionStage<Void> write(Channel channel, Transport transport, byte[] bytes) {
    Object message = transport == Transport.WS || transport == Transport.WSS
        ? webSocketMessage(bytes)
        : Unpooled.wrappedBuffer(bytes);
    return write(channel, message, transport, (InetSocketAddress) channel.remoteAddress());
  }

  private CompletionStage<Void> write(Channel channel, Object message, Transport transport, InetSocketAddress remote) {
    if (!channel.isWritable()) {
      ReferenceCountUtil.release(message);
      return failed("the " + transport + " send queue to " + remote + " is full (peer not reading)");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.writeAndFlush(message).addListener(f -> {
      if (f.isSuccess()) {
        metrics.sent(transport);
        done.complete(null);
      } else {
        done.completeExceptionally(new SipSendException(
            "sending over " + transport + " to " + remote + " failed: " + f.cause(), f.cause()));
      }
    });
    return done;
  }

  /** RFC 7118 §5: text frames must be UTF-8; a message that is not (binary body) goes as binary. */
  private static WebSocketFrame webSocketMessage(byte[] bytes) {
    ByteBuf content = Unpooled.wrappedBuffer(bytes);
    return ByteBufUtil.isText(content, StandardCharsets.UTF_8)
        ? new TextWebSocketFrame(content)
        : new BinaryWebSocketFrame(content);
  }

  /** Opens (once, however many sends wait for it) a TCP or TLS connection to {@code remote}. */
  private CompletableFuture<Channel> dial(Transport transport, InetSocketAddress remote) {
    ConnectionTable.Key key = new ConnectionTable.Key(transport, remote);
    CompletableFuture<Channel> mine = new CompletableFuture<>();
    CompletableFuture<Channel> pending = dialling.putIfAbsent(key, mine);
    if (pending != null) {
      return pending;
    }
    if (connections.full()) {
      dialling.remove(key, mine);
      mine.completeExceptionally(new SipSendException("cannot open a " + transport + " connection to " + remote
          + ": maxConnections (" + settings.maxConnections() + ") reached"));
      return mine;
    }
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(sockets.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, CONNECTION_WATER_MARK)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            if (closed.get() || !connections.admit(channel)) {
              channel.close();
              return;
            }
            initConnection(channel, transport, Optional.of(remote));
          }
        });
    log.debug("Opening a {} connection to {}", transport, remote);
    try {
      bootstrap.connect(remote).addListener((ChannelFuture f) -> {
        if (f.isSuccess()) {
          // Registered before the dial is forgotten, so a concurrent send finds one or the other.
          connections.register(transport, remote, f.channel());
          dialling.remove(key, mine);
          mine.complete(f.channel());
        } else {
          dialling.remove(key, mine);
          mine.completeExceptionally(new SipSendException(
              "cannot open a " + transport + " connection to " + remote + ": " + f.cause().getMessage(), f.cause()));
        }
      });
    } catch (RuntimeException e) { // the event loops are shutting down
      dialling.remove(key, mine);
      mine.completeExceptionally(new SipSendException("cannot open a " + transport + " connection to " + remote, e));
    }
    return mine;
  }

  private static CompletionStage<Void> failed(String why) {
    return CompletableFuture.failedFuture(new SipSendException(why));
  }

  // ---- receiving -------------------------------------------------------------------------

  /**
   * One decoded message from any transport. {@code connection} is the TCP/TLS/WS/WSS channel it
   * came on; empty for UDP.
   */
  private void received(Inbound inbound, Flow flow, Optional<Channel> connection) {
    SipParseResult result = inbound.result();
    Transport transport = flow.transport();
    if (result instanceof Parsed parsed) {
      metrics.received(transport);
      SipMessage message = parsed.message();
      SipVerdict verdict = SipValidation.check(message);
      if (verdict instanceof SipVerdict.Acceptable) {
        deliver(message instanceof SipRequest request ? ViaRouting.stamp(request, flow.remote()) : message, flow);
      } else if (verdict instanceof SipVerdict.Reject reject && message instanceof SipRequest request) {
        log.debug("Rejecting {} from {} with {}: {}", request.method(), flow, reject.status(), reject.reason());
        SipRequest stamped = ViaRouting.stamp(request, flow.remote());
        StatelessResponses.forReject(stamped, reject)
            .ifPresent(response -> answer(response, ViaRouting.responseFlow(stamped, flow)));
      } else {
        log.debug("Dropping a message from {}: {}", flow, verdict);
      }
    } else if (result instanceof Malformed malformed) {
      metrics.malformed(transport);
      // RFC 3261 §18.3: on a stream a malformed message leaves no way to find the next one.
      boolean framingLost = transport == Transport.TCP || transport == Transport.TLS;
      Optional<SipResponse> response = StatelessResponses.forMalformed(inbound.raw(), malformed);
      log.debug("Malformed message from {} ({} {}): {}", flow, malformed.statusToSend(),
          response.isPresent() ? "answered" : "dropped", malformed.reason());
      // Answered to where it came from, never to an address taken from a malformed Via.
      CompletionStage<Void> sent = response.isPresent()
          ? answer(response.get(), flow)
          : CompletableFuture.completedFuture(null);
      if (framingLost) {
        sent.whenComplete((ok, error) -> connection.ifPresent(Channel::close));
      }
    }
  }

  private void deliver(SipMessage message, Flow flow) {
    try {
      handler.onMessage(message, flow);
    } catch (RuntimeException e) {
      log.warn("The SIP handler failed on a message from {}; message dropped", flow, e);
    }
  }

  private CompletionStage<Void> answer(SipResponse response, Flow flow) {
    CompletionStage<Void> sent = send(response, flow);
    sent.whenComplete((ok, error) -> {
      if (error != null) {
        log.debug("Could not send the {} response to {}: {}", response.status(), flow, error.toString());
      }
    });
    return sent;
  }

  /** UDP: each datagram is one message (RFC 3261 §18.3); keep-alives are dropped silently. */
  private final class DatagramIngress extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      byte[] bytes = ByteBufUtil.getBytes(packet.content());
      if (KeepAlives.isWhitespace(bytes)) {
        return; // RFC 5626 §4.4.1 CRLF keep-alive
      }
      if (KeepAlives.isStun(bytes)) {
        log.trace("Ignoring a STUN message from {} (RFC 5626 section 4.4.2 keep-alive)", packet.sender());
        return;
      }
      Flow flow = new Flow(Transport.UDP, (InetSocketAddress) ctx.channel().localAddress(), packet.sender());
      received(new Inbound(SipParser.parse(bytes), bytes), flow, Optional.empty());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // The one UDP socket stays open whatever a datagram did.
      log.debug("SIP UDP receive failed: {}", cause.toString());
    }
  }

  /**
   * The top of every connection's pipeline: registers it for reuse, closes it when idle or
   * broken, and hands decoded messages to {@link #received}.
   */
  @Sharable
  private final class ConnectionIngress extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel channel = ctx.channel();
      Transport transport = channel.attr(TRANSPORT).get();
      Flow flow = new Flow(transport, (InetSocketAddress) channel.localAddress(), (InetSocketAddress) channel.remoteAddress());
      channel.attr(FLOW).set(flow);
      if (transport != Transport.WS && transport != Transport.WSS) {
        connections.register(transport, flow.remote(), channel);
      }
      log.debug("Connection open: {}", flow);
      ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      Flow flow = ctx.channel().attr(FLOW).get();
      if (event instanceof IdleStateEvent) {
        log.debug("Closing idle connection {}", flow);
        ctx.close();
        return;
      }
      if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete && flow != null) {
        // Only a completed RFC 7118 handshake makes the connection usable for SIP.
        connections.register(flow.transport(), flow.remote(), ctx.channel());
        log.debug("WebSocket handshake complete: {}", flow);
      } else if (event instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
        log.debug("TLS handshake failed on {}: {}", flow, tls.cause().toString());
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof Inbound inbound) {
        received(inbound, ctx.channel().attr(FLOW).get(), Optional.of(ctx.channel()));
      } else {
        ReferenceCountUtil.release(message);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      log.debug("Connection closed: {}", ctx.channel().attr(FLOW).get());
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("Closing connection {} after: {}", ctx.channel().attr(FLOW).get(), cause.toString());
      ctx.close();
    }
  }

  // ---- misc ------------------------------------------------------------------------------

  private boolean onEventLoop() {
    for (EventExecutor executor : group) {
      if (executor.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    for (Transport t : Transport.values()) {
      Channel listener = listeners.get(t);
      if (listener != null) {
        b.append(b.length() == 0 ? "" : ", ").append(t).append(' ').append(listener.localAddress());
      }
    }
    return b.toString();
  }
}
