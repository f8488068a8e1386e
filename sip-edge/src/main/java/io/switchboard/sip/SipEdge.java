package io.switchboard.sip;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.sip.auth.AuthFailureLockout;
import io.switchboard.sip.auth.NonceService;
import io.switchboard.sip.b2bua.DialogTable;
import io.switchboard.sip.b2bua.RegisteredFlows;
import io.switchboard.sip.b2bua.SipCore;
import io.switchboard.sip.b2bua.SipEdgeContext;
import io.switchboard.sip.b2bua.SipLegGateway;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.registrar.DigestAuthenticator;
import io.switchboard.sip.registrar.Registrar;
import io.switchboard.sip.transaction.NettyTransactionTimers;
import io.switchboard.sip.transaction.ServerTransaction;
import io.switchboard.sip.transaction.TimerSettings;
import io.switchboard.sip.transaction.TransactionLayer;
import io.switchboard.sip.transaction.TransactionUser;
import io.switchboard.sip.transport.CertificateSource;
import io.switchboard.sip.transport.ClientTrust;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.SipTransports;
import io.switchboard.sip.transport.Transport;
import io.switchboard.sip.transport.TransportSettings;
import io.switchboard.sip.tenant.TenantDirectories;
import io.switchboard.sip.trunk.TrunkRegistrations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * The wiring point of the SIP edge: cluster-node calls {@link #start} on nodes with the {@code edge}
 * role. Transports (Netty) feed the transaction layer, whose user is the {@link SipCore}
 * (registrar and B2BUA); legs are actors that speak the Leg protocol to the Call entities. The
 * transports close when the node shuts down.
 */
public final class SipEdge implements AutoCloseable {
  /** How long a leg waits for the Call to acknowledge one report before retrying it. */
  static final Duration REPORT_TIMEOUT = Duration.ofSeconds(3);

  private final SipTransports transports;
  private final TransactionLayer transactions;
  private final NettyTransactionTimers timers;

  private SipEdge(SipTransports transports, TransactionLayer transactions, NettyTransactionTimers timers) {
    this.transports = transports;
    this.transactions = transactions;
    this.timers = timers;
  }

  /** Binds the SIP ports and starts serving; fails with a clear message when a port is taken. */
  public static SipEdge start(ActorSystem<?> system, SipSettings settings, Path dataDir) {
    Clock clock = Clock.systemUTC();
    CertificateSource certificates = settings.tlsCertificate().isPresent()
        ? new CertificateSource.PemFiles(settings.tlsCertificate().get(), settings.tlsPrivateKey().orElseThrow())
        : new CertificateSource.SelfSigned(dataDir.resolve("sip-tls"));
    TransportSettings transportSettings = new TransportSettings(settings.bindHost(), settings.port(),
        settings.tlsPort(), settings.wsPort(), settings.wssPort(), certificates, new ClientTrust.JdkDefault(),
        settings.maxConnections(), settings.connectionIdleTimeout(),
        TransportSettings.DEFAULT_UDP_RECEIVE_BUFFER_BYTES);
    TimerSettings timerSettings = new TimerSettings(settings.t1(), settings.t2(), settings.t4());

    // Transports, transaction layer and core refer to each other; the handler is set before any
    // message can matter (messages racing the start are dropped, and peers retransmit).
    AtomicReference<TransactionLayer> layer = new AtomicReference<>();
    AtomicReference<TransactionUser> user = new AtomicReference<>();
    SipTransports transports = SipTransports.start(transportSettings, (message, flow) -> {
      TransactionLayer l = layer.get();
      if (l != null) {
        l.onMessage(message, flow);
      }
    });
    NettyTransactionTimers timers = new NettyTransactionTimers();
    TransactionLayer transactions = new TransactionLayer(transports, timers, timerSettings, new Delegate(user),
        settings.maxTransactions());
    DialogTable dialogs = new DialogTable();
    RegisteredFlows flows = new RegisteredFlows(clock);
    SipEdgeContext edge = new SipEdgeContext(transactions, transports,
        (t, remote) -> transports.enabledTransports().contains(t)
            ? java.util.Optional.of(transports.flowTo(t, remote)) : java.util.Optional.empty(),
        dialogs, flows, timers, timerSettings, REPORT_TIMEOUT);
    ActorRef<LegCommand> gateway = system.systemActorOf(SipLegGateway.create(edge), "sip-leg-gateway", Props.empty());

    NonceService nonces = new NonceService(secret(settings), clock, settings.nonceLifetime());
    AuthFailureLockout lockout = new AuthFailureLockout(clock, settings.authFailuresBeforeLockout(), Duration.ofMinutes(1),
        Duration.ofMinutes(5), AuthFailureLockout.DEFAULT_MAX_ENTRIES);
    DigestAuthenticator authenticator = new DigestAuthenticator(system, nonces, lockout, settings.digestAlgorithms());
    TenantDirectories tenants = new TenantDirectories(system, settings.defaultTenant());
    Registrar registrar = new Registrar(system, tenants, authenticator, flows, gateway,
        new Registrar.Expiry(settings.minExpires(), settings.maxExpires(), settings.defaultExpires()), clock);
    OverloadGuard overload = new OverloadGuard(settings.maxCallRate(), settings.maxRequestRatePerSource(),
        (int) Math.max(1, settings.retryAfter().toSeconds()));
    TrunkRegistrations trunkRegistrations = new TrunkRegistrations(system, tenants, edge, clock);
    user.set(new SipCore(system, edge, registrar, authenticator, tenants, overload, gateway));
    layer.set(transactions);

    SipEdge sipEdge = new SipEdge(transports, transactions, timers);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "sip-edge-close", () -> {
      trunkRegistrations.close();
      tenants.close();
      sipEdge.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    system.log().info("SIP edge listening: {}", sipEdge.describe());
    return sipEdge;
  }

  private static byte[] secret(SipSettings settings) {
    if (settings.nonceSecret().isPresent()) {
      return settings.nonceSecret().get().getBytes(StandardCharsets.UTF_8);
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return random;
  }

  public String describe() {
    StringBuilder b = new StringBuilder();
    for (Transport t : transports.enabledTransports()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(t.viaName()).append(' ').append(transports.localAddress(t));
    }
    return b.toString();
  }

  @Override
  public void close() {
    transactions.close();
    timers.close();
    transports.close();
  }

  /** Forwards to the core once it exists (the transaction layer is built before it). */
  private record Delegate(AtomicReference<TransactionUser> user) implements TransactionUser {
    @Override
    public void onRequest(ServerTransaction transaction, SipRequest request) {
      user.get().onRequest(transaction, request);
    }

    @Override
    public void onAck(SipRequest ack, Flow flow) {
      user.get().onAck(ack, flow);
    }

    @Override
    public void onStrayResponse(SipResponse response, Flow flow) {
      user.get().onStrayResponse(response, flow);
    }
  }
}
