package io.switchboard.http.admin;

import static io.switchboard.http.admin.AdminRoutes.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.call.directory.Did;
import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.DirectoryError;
import io.switchboard.call.directory.DirectoryView;
import io.switchboard.call.directory.NumberTarget;
import io.switchboard.call.directory.UserEntry;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.call.user.Forwarding;
import io.switchboard.call.user.Presence;
import io.switchboard.call.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.StatusReply;

/**
 * A provisioned user's call handling, kept by their {@link User} entity: presence, call waiting,
 * how their devices ring and for how long, forwarding rules, and the devices registered now.
 * {@code PUT .../settings} changes only the fields it names, atomically ({@link User.UpdateSettings});
 * {@code forwarding}, when present, replaces every rule (a rule left out is removed).
 */
final class UserSettingsAdmin {
  static final String SETTINGS = "/api/v1/tenants/{tenantId}/users/{userId}/settings";
  static final String REGISTRATIONS = "/api/v1/tenants/{tenantId}/users/{userId}/registrations";
  private static final int MIN_SECONDS = (int) Forwarding.MIN_RING_TIME.toSeconds();
  private static final int MAX_SECONDS = (int) Forwarding.MAX_RING_TIME.toSeconds();

  private final ActorSystem<?> system;
  private final AdminApiSettings settings;

  UserSettingsAdmin(ActorSystem<?> system, AdminApiSettings settings) {
    this.system = system;
    this.settings = settings;
  }

  List<AdminRoutes.Endpoint> endpoints() {
    return List.of(
        new AdminRoutes.Endpoint(HttpMethods.GET, SETTINGS, c -> user(c).thenCompose(u ->
            this.<User.Settings>askUser(c, User.GetSettings::new)).thenApply(s -> ok(settingsJson(s)))),
        new AdminRoutes.Endpoint(HttpMethods.PUT, SETTINGS, this::update),
        new AdminRoutes.Endpoint(HttpMethods.GET, REGISTRATIONS, c -> user(c).thenCompose(u ->
            this.<User.Registrations>askUser(c, User.GetRegistrations::new)).thenApply(r -> ok(registrations(r)))));
  }

  /** Parses everything first, then changes everything in one command: a refused request changes nothing. */
  private CompletionStage<HttpResponse> update(AdminRoutes.Call call) {
    JsonBody body = call.json().allowOnly(Set.of("presence", "callWaiting", "ringMode", "ringSeconds", "forwarding"));
    Optional<Presence> presence = body.optionalString("presence").map(p -> enumValue(body, "presence", p,
        Presence.class));
    Optional<Boolean> callWaiting = body.optionalBoolean("callWaiting");
    Optional<RingPlan.RingMode> ringMode = body.optionalString("ringMode").map(m -> enumValue(body, "ringMode", m,
        RingPlan.RingMode.class));
    Optional<Integer> ringSeconds = body.optionalInteger("ringSeconds", MIN_SECONDS, MAX_SECONDS);
    Optional<Forwarding> forwarding = body.optionalObject("forwarding").map(UserSettingsAdmin::forwarding);
    return user(call).thenCompose(found -> this.<User.Settings>askUser(call, r -> new User.UpdateSettings(presence,
        callWaiting, ringMode, ringSeconds.map(sec -> Duration.ofSeconds(sec)), forwarding, found.ownAddresses(), r)))
        .thenApply(s -> ok(settingsJson(s)));
  }

  private static Forwarding forwarding(JsonBody rules) {
    rules.allowOnly(Set.of("always", "busy", "noAnswer", "unreachable"));
    Optional<Forwarding.NoAnswer> noAnswer = rules.optionalObject("noAnswer").map(n -> {
      n.allowOnly(Set.of("target", "afterSeconds"));
      return new Forwarding.NoAnswer(n.string("target"),
          Duration.ofSeconds(n.integer("afterSeconds", MIN_SECONDS, MAX_SECONDS)));
    });
    return new Forwarding(rules.optionalString("always"), rules.optionalString("busy"), noAnswer,
        rules.optionalString("unreachable"));
  }

  private static <E extends Enum<E>> E enumValue(JsonBody body, String field, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw body.invalid(field, "must be one of " + String.join(", ", allowed));
    }
  }

  /** The user as the directory has them, and the addresses that reach them (never a forward target). */
  record Found(UserEntry user, Set<String> ownAddresses) {}

  private CompletionStage<Found> user(AdminRoutes.Call call) {
    String tenantId = call.param(0);
    String userId = call.param(1);
    if (!call.principal().mayAccessTenant(tenantId)) {
      return CompletableFuture.failedFuture(DirectoryError.notFound("tenant " + tenantId + " does not exist"));
    }
    CompletionStage<DirectoryView> view = Directory.ref(system, tenantId)
        .askWithStatus(Directory.GetDirectory::new, settings.askTimeout());
    return view.thenApply(v -> {
      UserEntry user = v.users().stream().map(u -> u.user()).filter(u -> u.userId().equals(userId)).findFirst()
          .orElseThrow(() -> DirectoryError.notFound("user " + userId + " does not exist"));
      Set<String> own = new HashSet<>(Set.of(user.userId(), user.extension()));
      for (Did did : v.numbers()) {
        if (did.target() instanceof NumberTarget.ToExtension e && e.extension().equals(user.extension())) {
          own.add(did.number());
        }
      }
      return new Found(user, own);
    });
  }

  /** Asks the user's entity; its refusals (an invalid rule) are the client's mistake: 400. */
  private <R> CompletionStage<R> askUser(AdminRoutes.Call call, Function<ActorRef<StatusReply<R>>, User.Command> ask) {
    CompletionStage<R> reply = User.ref(system, call.param(0), call.param(1)).askWithStatus(ask::apply,
        settings.askTimeout());
    return reply.exceptionally(error -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof StatusReply.ErrorMessage refusal) {
        throw ApiProblem.badRequest(refusal.getMessage());
      }
      throw error instanceof RuntimeException r ? r : new CompletionException(error);
    });
  }

  static ObjectNode settingsJson(User.Settings s) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.put("presence", s.presence().name().toLowerCase(Locale.ROOT));
    n.put("callWaiting", s.callWaiting());
    n.put("ringMode", s.ringMode().name().toLowerCase(Locale.ROOT));
    s.ringTimeout().ifPresentOrElse(t -> n.put("ringSeconds", t.toSeconds()), () -> n.putNull("ringSeconds"));
    n.put("effectiveRingSeconds", s.effectiveNoAnswerTimeout().toSeconds());
    ObjectNode f = n.putObject("forwarding");
    s.forwarding().always().ifPresent(t -> f.put("always", t));
    s.forwarding().busy().ifPresent(t -> f.put("busy", t));
    s.forwarding().noAnswer().ifPresent(na -> f.putObject("noAnswer").put("target", na.target())
        .put("afterSeconds", na.after().toSeconds()));
    s.forwarding().unreachable().ifPresent(t -> f.put("unreachable", t));
    return n;
  }

  static ObjectNode registrations(User.Registrations r) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    ArrayNode devices = n.putArray("registrations");
    r.contacts().forEach(c -> devices.addObject().put("deviceId", c.deviceId()).put("contact", c.uri())
        .put("expiresAt", c.expiresAt().toString()));
    return n;
  }
}
