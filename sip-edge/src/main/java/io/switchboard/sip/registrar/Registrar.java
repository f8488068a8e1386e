package io.switchboard.sip.registrar;

import io.switchboard.call.directory.DigestCredentials;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.user.User;
import io.switchboard.sip.b2bua.RegisteredFlows;
import io.switchboard.sip.message.NameAddress;
import io.switchboard.sip.message.SipHeaderNames;
import io.switchboard.sip.message.SipMessages;
import io.switchboard.sip.message.SipParams;
import io.switchboard.sip.message.SipRequest;
import io.switchboard.sip.message.SipResponse;
import io.switchboard.sip.message.SipUri;
import io.switchboard.sip.transaction.ServerTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The SIP registrar (RFC 3261 §10.3): authenticates REGISTER with digest, checks that the user may
 * register the address of record, and keeps the bindings in the User entity (which any node can
 * reach, so a call finds the device wherever it registered). The flow a REGISTER came on is kept on
 * this node, because the device is reached back along it (NAT, TCP, WebSocket).
 *
 * <p>Never blocks: every lookup is an ask whose answer completes the server transaction.
 */
public final class Registrar {

  /** Registration lifetimes (RFC 3261 §10.2.1.1, §10.3 step 7). */
  public record Expiry(Duration minimum, Duration maximum, Duration standard) {}

  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  private static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final ActorSystem<?> system;
  private final io.switchboard.sip.tenant.TenantDirectories tenants;
  private final DigestAuthenticator authenticator;
  private final RegisteredFlows flows;
  private final ActorRef<LegCommand> gateway;
  private final Expiry expiry;
  private final Clock clock;

  public Registrar(ActorSystem<?> system, io.switchboard.sip.tenant.TenantDirectories tenants, DigestAuthenticator authenticator,
                   RegisteredFlows flows, ActorRef<LegCommand> gateway, Expiry expiry, Clock clock) {
    this.system = system;
    this.tenants = tenants;
    this.authenticator = authenticator;
    this.flows = flows;
    this.gateway = gateway;
    this.expiry = expiry;
    this.clock = clock;
  }

  public void onRegister(ServerTransaction tx, SipRequest request) {
    Optional<SipUri> requestUri = SipUri.parse(request.requestUri());
    Optional<NameAddress> to = SipMessages.to(request);
    Optional<SipUri> aor = to.flatMap(NameAddress::sipUri);
    if (requestUri.isEmpty() || aor.isEmpty() || aor.get().user().isEmpty()) {
      tx.respond(SipMessages.response(request, 404, "Address of record not served"));
      return;
    }
    tenants.tenantFor(requestUri.get().host())
        .thenCompose(tenant -> tenant.isEmpty()
            ? done(DigestAuthenticator.refuse(request, 404, "Domain not served"))
            .thenApply(o -> ((DigestAuthenticator.Refused) o).response())
            : register(tx, request, tenant.get(), aor.get()))
        .whenComplete((response, error) -> {
          if (error != null) {
            system.log().warn("REGISTER failed: {}", error.toString());
            tx.respond(io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 500, "Registrar error")));
          } else {
            tx.respond(response);
          }
        });
  }

  private CompletionStage<SipResponse> register(ServerTransaction tx, SipRequest request, String tenantId, SipUri aor) {
    String realm = tenants.realmOf(tenantId);
    return authenticator.authenticate(request, tx.flow(), tenantId, realm, false).thenCompose(outcome -> {
      if (outcome instanceof DigestAuthenticator.Refused refused) {
        return done(refused.response());
      }
      DigestCredentials user = ((DigestAuthenticator.Authenticated) outcome).user();
      String aorUser = aor.user().orElse("");
      if (!aorUser.equals(user.sipUsername()) && !aorUser.equals(user.extension())) {
        // §10.3 step 6: authenticated, but not for this address of record.
        return done(io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 403, "Not allowed to register " + aorUser)));
      }
      return bindings(tx, request, tenantId, user);
    });
  }

  private CompletionStage<SipResponse> bindings(ServerTransaction tx, SipRequest request, String tenantId,
                                                 DigestCredentials user) {
    var userRef = User.ref(system, tenantId, user.userId());
    OptionalLong headerExpires = request.headers().first("Expires").map(String::trim)
        .filter(v -> v.matches("\\d{1,10}")).map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    if (SipMessages.isWildcardContact(request)) {
      // §10.3 step 6: "*" only with Expires: 0 and nothing else.
      if (request.headers().values(SipHeaderNames.CONTACT).size() != 1 || headerExpires.orElse(-1) != 0) {
        return done(io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 400, "Contact: * needs Expires: 0")));
      }
      return userRef.<User.Registrations>askWithStatus(User.UnregisterAll::new, ASK_TIMEOUT)
          .thenApply(regs -> ok(request, regs));
    }
    List<NameAddress> contacts = SipMessages.addresses(request, SipHeaderNames.CONTACT);
    if (contacts.isEmpty()) {
      if (!request.headers().values(SipHeaderNames.CONTACT).isEmpty()) {
        return done(io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 400, "Unreadable Contact")));
      }
      return userRef.<User.Registrations>askWithStatus(User.GetRegistrations::new, ASK_TIMEOUT)
          .thenApply(regs -> ok(request, regs));
    }
    Instant now = clock.instant();
    List<java.util.function.Function<ActorRef<org.apache.pekko.pattern.StatusReply<User.Registrations>>, User.Command>>
        changes = new ArrayList<>();
    for (NameAddress c : contacts) {
      OptionalLong requested = c.param("expires").filter(v -> v.matches("\\d{1,10}"))
          .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(headerExpires);
      long seconds = requested.orElse(expiry.standard().toSeconds());
      String deviceId = c.param("+sip.instance").map(SipParams::unquote).orElse(c.uri());
      if (seconds == 0) {
        flows.remove(c.uri());
        changes.add(r -> new User.Unregister(deviceId, r));
        continue;
      }
      if (seconds < expiry.minimum().toSeconds()) {
        // §10.3 step 7: too brief: 423 with the least we accept.
        return done(with(io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 423)), "Min-Expires",
            Long.toString(expiry.minimum().toSeconds())));
      }
      Instant expiresAt = now.plusSeconds(Math.min(seconds, expiry.maximum().toSeconds()));
      if (!flows.put(c.uri(), tx.flow(), expiresAt)) {
        return done(with(io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 503)), "Retry-After", "60"));
      }
      Contact contact = new Contact(c.uri(), deviceId, gateway, expiresAt);
      changes.add(r -> new User.Register(contact, r));
    }
    CompletionStage<User.Registrations> chain = CompletableFuture.completedFuture(null);
    for (var change : changes) {
      chain = chain.thenCompose(x -> userRef.askWithStatus(change::apply, ASK_TIMEOUT));
    }
    return chain.handle((regs, error) -> {
      if (error != null) {
        String message = error.getCause() != null ? error.getCause().getMessage() : error.getMessage();
        if (error.getCause() instanceof java.util.concurrent.TimeoutException) {
          return with(io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 503)), "Retry-After", "5");
        }
        return io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 403, clip(String.valueOf(message))));
      }
      return ok(request, regs);
    });
  }

  /** §10.3 step 8: 200 listing every current binding with its remaining lifetime, and a Date. */
  private SipResponse ok(SipRequest request, User.Registrations regs) {
    SipResponse r = io.switchboard.sip.b2bua.SipAddresses.tagged(SipMessages.response(request, 200));
    Instant now = clock.instant();
    var h = r.headers();
    for (Contact c : regs.contacts()) {
      long left = Math.max(0, Duration.between(now, c.expiresAt()).toSeconds());
      h = h.plus(SipHeaderNames.CONTACT, "<" + c.uri() + ">;expires=" + left);
    }
    h = h.plus("Date", RFC1123.format(now));
    return r.withHeaders(h);
  }

  private static SipResponse with(SipResponse r, String header, String value) {
    return r.withHeaders(r.headers().plus(header, value));
  }

  private static String clip(String s) {
    String one = s.replace('\r', ' ').replace('\n', ' ');
    return one.length() > 120 ? one.substring(0, 120) : one;
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
