package io.switchboard.sip.b2bua;

import io.switchboard.call.CallCommand;
import io.switchboard.call.Direction;
import io.switchboard.call.directory.DigestCredentials;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.sip.OverloadGuard;
import io.switchboard.sip.message.NameAddress;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.message.SipUri;
import io.switchboard.sip.registrar.DigestAuthenticator;
import io.switchboard.sip.registrar.Registrar;
import io.switchboard.sip.transaction.ServerTransaction;
import io.switchboard.sip.transaction.TransactionUser;
import io.switchboard.sip.transport.Flow;
import io.switchboard.sip.tenant.TenantDirectories;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * The transaction user of the edge: routes each request to the registrar, to a new inbound leg, or
 * to the leg that owns its dialog, and answers what no one else does (OPTIONS, 481, 405, 501).
 * Runs on transport threads and never blocks: legs are actors, lookups are asks.
 */
public final class SipCore implements TransactionUser {

  /** The methods we implement, for Allow (RFC 3261 §20.5). */
  public static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, REGISTER";

  /** Methods RFC 3261 and its common extensions define that we do not implement: 405, not 501 (§21.4.6). */
  private static final Set<String> KNOWN_UNSUPPORTED = Set.of("SUBSCRIBE", "PUBLISH", "MESSAGE", "PRACK", "UPDATE",
      "NOTIFY", "INFO", "REFER");

  private final ActorSystem<?> system;
  /** Requests answered 503 by admission control, by method: the overload limits' own metric. */
  private static final kamon.metric.Metric.Counter SHED = kamon.Kamon.counter("switchboard.sip.shed");

  private final SipEdgeContext edge;
  private final Registrar registrar;
  private final DigestAuthenticator authenticator;
  private final TenantDirectories tenants;
  private final OverloadGuard overload;
  private final ActorRef<LegCommand> gateway;

  public SipCore(ActorSystem<?> system, SipEdgeContext edge, Registrar registrar, DigestAuthenticator authenticator,
                 TenantDirectories tenants, OverloadGuard overload, ActorRef<LegCommand> gateway) {
    this.system = system;
    this.edge = edge;
    this.registrar = registrar;
    this.authenticator = authenticator;
    this.tenants = tenants;
    this.overload = overload;
    this.gateway = gateway;
  }

  @Override
  public void onRequest(ServerTransaction tx, SipRequest request) {
    String method = request.method();
    if (method.equals("CANCEL")) {
      onCancel(tx, request);
      return;
    }
    Optional<String> toTag = SipMessages.to(request).flatMap(NameAddress::tag);
    if (toTag.isPresent()) {
      Optional<ActorRef<SipLeg.Msg>> leg = edge.dialogs().find(SipMessages.callId(request), toTag.get());
      if (leg.isPresent()) {
        leg.get().tell(new SipLeg.InDialog(tx, request));
      } else {
        // §12.2.2: a request for a dialog we do not know.
        tx.respond(SipMessages.response(request, 481));
      }
      return;
    }
    switch (method) {
      case "REGISTER" -> {
        if (admit(tx, request, false)) {
          registrar.onRegister(tx, request);
        }
      }
      case "INVITE" -> {
        if (admit(tx, request, true)) {
          onInvite(tx, request);
        }
      }
      case "OPTIONS" -> tx.respond(SipAddresses.tagged(capabilities(SipMessages.response(request, 200))));
      case "BYE", "ACK" -> tx.respond(SipMessages.response(request, 481));
      default -> {
        int status = KNOWN_UNSUPPORTED.contains(method) ? 405 : 501;
        tx.respond(SipAddresses.tagged(capabilities(SipMessages.response(request, status))));
      }
    }
  }

  private boolean admit(ServerTransaction tx, SipRequest request, boolean newCall) {
    java.net.InetAddress source = tx.flow().remote().getAddress();
    Optional<Integer> retryAfter = overload.admit(source, newCall, tenants.trunkFor(source).isEmpty());
    if (retryAfter.isEmpty()) {
      return true;
    }
    SHED.withTag("method", request.method()).increment();
    SipResponse r = SipAddresses.tagged(SipMessages.response(request, 503));
    tx.respond(r.withHeaders(r.headers().plus("Retry-After", Integer.toString(retryAfter.get()))));
    return false;
  }

  /** §9.2: CANCEL gets 200 if it matches a pending INVITE, whose leg then answers 487. */
  private void onCancel(ServerTransaction tx, SipRequest cancel) {
    Optional<ServerTransaction> invite = edge.transactions().findInviteServerTransaction(cancel);
    Optional<ActorRef<SipLeg.Msg>> leg = invite.flatMap(edge.dialogs()::findInvite);
    if (invite.isEmpty() || leg.isEmpty()) {
      tx.respond(SipMessages.response(cancel, 481));
      return;
    }
    tx.respond(SipMessages.response(cancel, 200));
    leg.get().tell(new SipLeg.Cancelled());
  }

  @Override
  public void onAck(SipRequest ack, Flow flow) {
    SipMessages.to(ack).flatMap(NameAddress::tag)
        .flatMap(tag -> edge.dialogs().find(SipMessages.callId(ack), tag))
        .ifPresent(leg -> leg.tell(new SipLeg.AckReceived(ack)));
  }

  @Override
  public void onStrayResponse(SipResponse response, Flow flow) {
    // A 2xx retransmitted after our INVITE transaction ended must be ACKed again (§13.2.2.4).
    boolean inviteOk = response.status() >= 200 && response.status() < 300
        && SipMessages.cseq(response).map(c -> c.method().equals("INVITE")).orElse(false);
    if (inviteOk) {
      SipMessages.from(response).flatMap(NameAddress::tag)
          .flatMap(tag -> edge.dialogs().find(SipMessages.callId(response), tag))
          .ifPresent(leg -> leg.tell(new SipLeg.Response(SipLeg.Purpose.INVITE, response)));
    }
  }

  // --- a new call from a phone ---

  private void onInvite(ServerTransaction tx, SipRequest invite) {
    Optional<SipUri> requestUri = SipUri.parse(invite.requestUri());
    if (requestUri.isEmpty() || requestUri.get().user().isEmpty()) {
      tx.respond(SipAddresses.tagged(SipMessages.response(invite, 404, "No user in the Request-URI")));
      return;
    }
    if (invite.body().length() > 0 && !SipMessages.contentType(invite).orElse("").equals("application/sdp")) {
      SipResponse r = SipAddresses.tagged(SipMessages.response(invite, 415));
      tx.respond(r.withHeaders(r.headers().plus("Accept", "application/sdp")));
      return;
    }
    Optional<TenantDirectories.TenantTrunk> trunk = tenants.trunkFor(tx.flow().remote().getAddress());
    if (trunk.isPresent()) {
      // A carrier's call on a trunk: its address is its credential (the trunk's allow-list); the
      // Request-URI user is the dialled number (a DID), the From user the calling number.
      NameAddress from = SipMessages.from(invite).orElseThrow();
      String number = from.sipUri().flatMap(SipUri::user).orElse("anonymous");
      startCall(tx, invite, trunk.get().tenantId(), new Party(number, from.displayName().orElse("")),
          Optional.empty(), Direction.INBOUND, requestUri.get().user().orElseThrow());
      return;
    }
    String domain = requestUri.get().host();
    tenants.tenantFor(domain).thenCompose(tenant -> {
      if (tenant.isEmpty()) {
        return java.util.concurrent.CompletableFuture.completedFuture(
            (DigestAuthenticator.Outcome) new DigestAuthenticator.Refused(SipAddresses.tagged(SipMessages.response(invite, 404,
                "Domain not served"))));
      }
      return authenticator.authenticate(invite, tx.flow(), tenant.get(), tenants.realmOf(tenant.get()), true)
          .thenApply(o -> {
            if (o instanceof DigestAuthenticator.Authenticated a) {
              startCall(tx, invite, tenant.get(), a.user(), requestUri.get().user().orElseThrow());
            }
            return o;
          });
    }).whenComplete((outcome, error) -> {
      if (error != null) {
        system.log().warn("INVITE failed: {}", error.toString());
        tx.respond(SipAddresses.tagged(SipMessages.response(invite, 500)));
      } else if (outcome instanceof DigestAuthenticator.Refused refused) {
        tx.respond(refused.response());
      }
    });
  }

  private void startCall(ServerTransaction tx, SipRequest invite, String tenantId, DigestCredentials user,
                         String dialled) {
    String display = SipMessages.from(invite).flatMap(NameAddress::displayName).filter(s -> !s.isBlank())
        .orElse(user.displayName());
    Party caller = new Party(user.extension().isEmpty() ? user.sipUsername() : user.extension(), display);
    startCall(tx, invite, tenantId, caller, Optional.of(user.userId()), Direction.INTERNAL, dialled);
  }

  private void startCall(ServerTransaction tx, SipRequest invite, String tenantId, Party caller,
                         Optional<String> callerUserId, Direction direction, String dialled) {
    if (tx.isFinal()) {
      return; // cancelled while we authenticated
    }
    String callId = UUID.randomUUID().toString();
    String legId = callId + "/0";
    // No body: a late offer (RFC 3261 §13.2.1); the callee's 200 will carry the offer.
    Optional<String> offer = invite.body().length() == 0 ? Optional.empty()
        : Optional.of(new String(invite.body().bytes(), StandardCharsets.UTF_8));
    system.systemActorOf(
        SipLeg.inbound(edge, callId, legId, tx, invite, gateway,
            replyTo -> new CallCommand.Originate(tenantId, legId, caller, callerUserId, gateway,
                dialled, direction, offer, replyTo)),
        "sip-leg-" + SipLegGateway.safeName(legId), Props.empty());
  }

  /** Allow, Accept and Supported: what OPTIONS, 405/501 and dialog-making responses tell the peer. */
  static SipResponse capabilities(SipResponse r) {
    return r.withHeaders(r.headers().plus("Allow", ALLOW).plus("Accept", "application/sdp")
        .plus("Supported", "replaces"));
  }
}
