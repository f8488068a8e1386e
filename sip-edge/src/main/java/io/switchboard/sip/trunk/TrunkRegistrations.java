package io.switchboard.sip.trunk;

import io.switchboard.call.directory.Trunk;
import io.switchboard.call.directory.TrunkCredentials;
import io.switchboard.sip.auth.DigestAlgorithm;
import io.switchboard.sip.auth.DigestChallenge;
import io.switchboard.sip.auth.DigestClient;
import io.switchboard.sip.b2bua.SipAddresses;
import io.switchboard.sip.b2bua.SipEdgeContext;
import io.switchboard.sip.message.SipBody;
import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipHeaders;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.message.Via;
import io.switchboard.sip.tenant.TenantDirectories;
import io.switchboard.sip.transaction.ClientTransactionListener;
import io.switchboard.sip.transaction.TransactionLayer;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Registers this edge node with the carriers of trunks that ask for it ({@code register}), as a
 * digest-authenticating client (RFC 3261 §10.2, §22.2): REGISTER, answer a 401/407 once with the
 * trunk's stored HA1, refresh at half the granted lifetime, retry after a failure. Carriers then
 * send the trunk's calls to this node. Only IP-literal carrier hosts are dialled (the edge never
 * blocks on DNS). State per trunk is kept here; {@link #status} tells how each one stands.
 */
public final class TrunkRegistrations implements AutoCloseable {
  /** Lifetime asked for; the carrier may grant less (its Contact expires / Expires). */
  static final long REQUESTED_SECONDS = 300;
  /** Wait after a failed attempt before the next one. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
  static final Duration TICK = Duration.ofSeconds(2);

  /** Where one trunk's registration stands. */
  public record Status(boolean registered, Instant nextAttempt, String lastResult) {}

  private record Key(String tenantId, String trunkId) {}

  private final TenantDirectories trunks;
  private final SipEdgeContext edge;
  private final Clock clock;
  private final Map<Key, Status> status = new ConcurrentHashMap<>();
  private final Map<Key, String> callIds = new ConcurrentHashMap<>();
  private final AtomicLong cseq = new AtomicLong(1);
  private final Cancellable schedule;

  public TrunkRegistrations(ActorSystem<?> system, TenantDirectories trunks, SipEdgeContext edge, Clock clock) {
    this.trunks = trunks;
    this.edge = edge;
    this.clock = clock;
    this.schedule = system.scheduler().scheduleWithFixedDelay(TICK, TICK, this::tick, system.executionContext());
  }

  public Optional<Status> status(String tenantId, String trunkId) {
    return Optional.ofNullable(status.get(new Key(tenantId, trunkId)));
  }

  private void tick() {
    Instant now = clock.instant();
    for (TenantDirectories.TenantTrunk t : trunks.trunks()) {
      Trunk trunk = t.trunk();
      if (!trunk.register() || trunk.credentials().isEmpty()) {
        continue;
      }
      Key key = new Key(t.tenantId(), trunk.trunkId());
      Status s = status.get(key);
      if (s == null || !s.nextAttempt().isAfter(now)) {
        // Not due again until this attempt ends (its transaction times out in 64*T1 at most).
        status.put(key, new Status(s != null && s.registered(), now.plus(Duration.ofSeconds(40)), "registering"));
        register(key, trunk, Optional.empty());
      }
    }
  }

  private void register(Key key, Trunk trunk, Optional<SipResponse> challenge) {
    Optional<InetSocketAddress> carrier = carrierAddress(trunk);
    Transport transport = Transport.valueOf(trunk.transport().name());
    Optional<Flow> flow = carrier.flatMap(a -> edge.flows().flowTo(transport, a));
    if (flow.isEmpty()) {
      failed(key, "cannot reach " + trunk.host() + ":" + trunk.port() + " over " + transport);
      return;
    }
    TrunkCredentials creds = trunk.credentials().orElseThrow();
    String domain = trunk.host();
    String aor = "sip:" + creds.username() + "@" + domain;
    String requestUri = "sip:" + domain + (trunk.port() == 5060 ? "" : ":" + trunk.port());
    String callId = callIds.computeIfAbsent(key, k -> SipAddresses.newCallId());
    Via via = new Via(transport.viaName(), SipAddresses.hostPort(flow.get().local()),
        Map.of("branch", TransactionLayer.newBranch(), "rport", ""));
    long seq = cseq.getAndIncrement();
    SipHeaders h = SipHeaders.of().plus(SipHeaderNames.VIA, via.toString())
        .plus(SipHeaderNames.MAX_FORWARDS, "70")
        .plus(SipHeaderNames.FROM, "<" + aor + ">;tag=" + SipAddresses.newTag())
        .plus(SipHeaderNames.TO, "<" + aor + ">")
        .plus(SipHeaderNames.CALL_ID, callId)
        .plus(SipHeaderNames.CSEQ, seq + " REGISTER")
        .plus(SipHeaderNames.CONTACT, SipAddresses.contact(flow.get(), creds.username()))
        .plus("Expires", Long.toString(REQUESTED_SECONDS))
        .plus("User-Agent", SipAddresses.USER_AGENT);
    if (challenge.isPresent()) {
      Optional<String> authorization = authorization(challenge.get(), creds, requestUri);
      if (authorization.isEmpty()) {
        failed(key, "challenge without a usable Digest (MD5/SHA-256) for realm " + creds.realm());
        return;
      }
      h = h.plus(challenge.get().status() == 407 ? "Proxy-Authorization" : "Authorization", authorization.get());
    }
    SipRequest register = new SipRequest("REGISTER", requestUri, "SIP/2.0", h, SipBody.EMPTY);
    edge.transactions().sendRequest(register, flow.get(), new ClientTransactionListener() {
      @Override
      public void onResponse(SipResponse response) {
        onRegisterResponse(key, trunk, response, challenge.isPresent());
      }

      @Override
      public void onTimeout() {
        failed(key, "no answer from " + trunk.host());
      }

      @Override
      public void onTransportError(Throwable cause) {
        failed(key, "transport error: " + cause.getMessage());
      }
    });
  }

  private void onRegisterResponse(Key key, Trunk trunk, SipResponse response, boolean authenticated) {
    int st = response.status();
    if (st < 200) {
      return;
    }
    if ((st == 401 || st == 407) && !authenticated) {
      register(key, trunk, Optional.of(response));
      return;
    }
    if (st >= 200 && st < 300) {
      long granted = grantedSeconds(response).orElse(REQUESTED_SECONDS);
      // Refresh at half the lifetime, so a lost refresh can be retried before the binding lapses.
      Instant next = clock.instant().plusSeconds(Math.max(5, granted / 2));
      status.put(key, new Status(true, next, "registered for " + granted + " s"));
      return;
    }
    failed(key, st + " " + response.reason());
  }

  private void failed(Key key, String why) {
    status.put(key, new Status(false, clock.instant().plus(RETRY_AFTER_FAILURE), why));
  }

  /** The carrier's answer to our Contact: its expires parameter, else the Expires header. */
  private static Optional<Long> grantedSeconds(SipResponse response) {
    for (var c : SipMessages.addresses(response, SipHeaderNames.CONTACT)) {
      Optional<String> e = c.param("expires");
      if (e.isPresent() && e.get().matches("\\d{1,9}")) {
        return Optional.of(Long.parseLong(e.get()));
      }
    }
    return response.headers().first("Expires").map(String::trim).filter(v -> v.matches("\\d{1,9}")).map(Long::parseLong);
  }

  /** The first challenge for the trunk's realm in an algorithm we have the HA1 for. */
  static Optional<String> authorization(SipResponse challenge, TrunkCredentials creds, String requestUri) {
    String header = challenge.status() == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
    for (String value : challenge.headers().values(header)) {
      Optional<DigestChallenge> c = DigestChallenge.parse(value);
      if (c.isEmpty() || !c.get().realm().equals(creds.realm())) {
        continue;
      }
      String ha1 = c.get().algorithm() == DigestAlgorithm.SHA_256 ? creds.ha1Sha256() : creds.ha1Md5();
      return Optional.of(DigestClient.authorizationWithHa1(c.get(), "REGISTER", requestUri, creds.username(), ha1,
          DigestClient.newCnonce(), 1));
    }
    return Optional.empty();
  }

  private static Optional<InetSocketAddress> carrierAddress(Trunk trunk) {
    if (!SipAddresses.isIpLiteralHost(trunk.host())) {
      return Optional.empty();
    }
    try {
      return Optional.of(new InetSocketAddress(InetAddress.getByName(trunk.host()), trunk.port()));
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    schedule.cancel();
  }
}
