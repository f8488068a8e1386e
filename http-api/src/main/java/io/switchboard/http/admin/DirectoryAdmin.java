package io.switchboard.http.admin;

import static io.switchboard.http.admin.AdminRoutes.created;
import static io.switchboard.http.admin.AdminRoutes.noContent;
import static io.switchboard.http.admin.AdminRoutes.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.call.directory.BusinessHours;
import io.switchboard.call.directory.Did;
import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.DirectoryError;
import io.switchboard.call.directory.DirectoryView;
import io.switchboard.call.directory.NumberTarget;
import io.switchboard.call.directory.RingGroup;
import io.switchboard.call.directory.SipCredentials;
import io.switchboard.call.directory.Tenant;
import io.switchboard.call.directory.TenantRegistry;
import io.switchboard.call.directory.Trunk;
import io.switchboard.call.directory.TrunkCredentials;
import io.switchboard.call.directory.UserEntry;
import io.switchboard.call.directory.UserView;
import io.switchboard.call.routing.RingStrategy;
import io.switchboard.http.auth.CredentialHashing;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.StatusReply;

/**
 * Tenants and their users, ring groups, numbers, business hours and trunks: JSON in and out, one
 * {@link Directory} ask per change. Ids of users, ring groups and calendars are made here
 * ({@code u-}, {@code rg-}, {@code bh-} and ten random characters); a number's id is its E.164
 * form and a tenant's id is chosen by its creator; a trunk's id is chosen by its creator or made
 * here ({@code tr-}...). A PUT takes the same body as the POST and replaces the resource (optional
 * fields left out are cleared), except the write-only {@code sipPassword} of a user and
 * {@code password} of a trunk: left out, the stored one stays.
 */
final class DirectoryAdmin {
  private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
  private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int DEFAULT_MEMBER_TIMEOUT_SECONDS = 20;
  /** The path parameter naming one entry of each collection (as the OpenAPI document calls it). */
  private static final Map<String, String> ITEM_PARAMETERS = Map.of("users", "userId", "ring-groups", "ringGroupId",
      "numbers", "number", "business-hours", "calendarId", "trunks", "trunkId");

  private final ActorSystem<?> system;
  private final CredentialHashing hashing;
  private final AdminApiSettings settings;

  DirectoryAdmin(ActorSystem<?> system, CredentialHashing hashing, AdminApiSettings settings) {
    this.system = system;
    this.hashing = hashing;
    this.settings = settings;
  }

  List<AdminRoutes.Endpoint> endpoints() {
    String tenants = "/api/v1/tenants";
    String tenant = tenants + "/{tenantId}";
    List<AdminRoutes.Endpoint> endpoints = new ArrayList<>(List.of(
        new AdminRoutes.Endpoint(HttpMethods.POST, tenants, this::createTenant),
        new AdminRoutes.Endpoint(HttpMethods.GET, tenants, this::listTenants),
        new AdminRoutes.Endpoint(HttpMethods.GET, tenant, c -> view(c).thenApply(v -> ok(tenantJson(v.tenant())))),
        new AdminRoutes.Endpoint(HttpMethods.PUT, tenant, this::updateTenant),
        new AdminRoutes.Endpoint(HttpMethods.DELETE, tenant, this::deleteTenant)));
    endpoints.addAll(resource("users", "users", DirectoryView::users, u -> u.user().userId(), "user",
        DirectoryAdmin::userJson, this::saveUser, Directory.DeleteUser::new));
    endpoints.addAll(resource("ring-groups", "ringGroups", DirectoryView::ringGroups, RingGroup::groupId,
        "ring group", DirectoryAdmin::ringGroupJson, this::saveRingGroup, Directory.DeleteRingGroup::new));
    endpoints.addAll(resource("numbers", "numbers", DirectoryView::numbers, Did::number, "number",
        DirectoryAdmin::numberJson, this::saveNumber, Directory.DeleteDid::new));
    endpoints.addAll(resource("business-hours", "businessHours", DirectoryView::calendars, BusinessHours::calendarId,
        "business hours", DirectoryAdmin::calendarJson, this::saveCalendar, Directory.DeleteBusinessHours::new));
    endpoints.addAll(resource("trunks", "trunks", DirectoryView::trunks, Trunk::trunkId, "trunk",
        DirectoryAdmin::trunkJson, this::saveTrunk, Directory.DeleteTrunk::new));
    return endpoints;
  }

  /** Create, list, read, replace and delete of one kind of entry of a tenant's directory. */
  private <T> List<AdminRoutes.Endpoint> resource(
      String collection, String listKey, Function<DirectoryView, List<T>> entries, Function<T, String> id,
      String what, Function<T, ObjectNode> json, BiFunction<AdminRoutes.Call, Boolean, CompletionStage<HttpResponse>> save,
      BiFunction<String, ActorRef<StatusReply<Done>>, Directory.Command> delete) {
    String all = "/api/v1/tenants/{tenantId}/" + collection;
    String one = all + "/{" + ITEM_PARAMETERS.get(collection) + "}";
    return List.of(
        new AdminRoutes.Endpoint(HttpMethods.POST, all, c -> save.apply(c, true)),
        new AdminRoutes.Endpoint(HttpMethods.GET, all, c -> view(c).thenApply(v ->
            ok(list(listKey, entries.apply(v).stream().map(json).toList())))),
        new AdminRoutes.Endpoint(HttpMethods.GET, one, c -> view(c).thenApply(v ->
            ok(json.apply(find(entries.apply(v), id, c.param(1), what))))),
        new AdminRoutes.Endpoint(HttpMethods.PUT, one, c -> save.apply(c, false)),
        new AdminRoutes.Endpoint(HttpMethods.DELETE, one, c -> this.<Done>ask(c, r -> delete.apply(c.param(1), r))
            .thenApply(done -> noContent())));
  }

  // --- asking the entities ---

  /**
   * Asks the tenant's Directory, or fails with the same 404 an unknown tenant gets when the token
   * may not see this tenant, so that tenant ids cannot be probed.
   */
  private <R> CompletionStage<R> ask(AdminRoutes.Call call, Function<ActorRef<StatusReply<R>>, Directory.Command> command) {
    String tenantId = call.param(0);
    if (!call.principal().mayAccessTenant(tenantId)) {
      return CompletableFuture.failedFuture(DirectoryError.notFound("tenant " + tenantId + " does not exist"));
    }
    return askTenant(tenantId, command);
  }

  private <R> CompletionStage<R> askTenant(String tenantId, Function<ActorRef<StatusReply<R>>, Directory.Command> command) {
    return Directory.ref(system, tenantId).askWithStatus(command::apply, settings.askTimeout());
  }

  private CompletionStage<DirectoryView> view(AdminRoutes.Call call) {
    return ask(call, Directory.GetDirectory::new);
  }

  private static <T> T find(List<T> entries, Function<T, String> id, String wanted, String what) {
    return entries.stream().filter(e -> id.apply(e).equals(wanted)).findFirst()
        .orElseThrow(() -> DirectoryError.notFound(what + " " + wanted + " does not exist"));
  }

  private static String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < 10; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  private static String location(AdminRoutes.Call call, String collection, String id) {
    return "/api/v1/tenants/" + call.param(0) + "/" + collection + "/" + id;
  }

  /**
   * The body of a create or replace of an entry whose id the API makes: {@code fields}, and on a
   * PUT also {@code id} if it repeats the path's.
   */
  private static JsonBody entryBody(AdminRoutes.Call call, boolean create, String... fields) {
    Set<String> allowed = new java.util.HashSet<>(List.of(fields));
    if (!create) {
      allowed.add("id");
    }
    JsonBody body = call.json().allowOnly(allowed);
    if (!create) {
      sameId(body, "id", call.param(1));
    }
    return body;
  }

  /** On a PUT the body may repeat the id, but not change it. */
  private static void sameId(JsonBody body, String field, String id) {
    body.optionalString(field).filter(given -> !given.equals(id)).ifPresent(given -> {
      throw body.invalid(field, "must be " + id + " (the id in the path) or left out");
    });
  }

  // --- tenants ---

  private CompletionStage<HttpResponse> createTenant(AdminRoutes.Call call) {
    if (!call.principal().isOwner()) {
      throw ApiProblem.forbidden("only an owner token may create tenants");
    }
    JsonBody body = call.json().allowOnly(Set.of("id", "name", "sipRealm", "countryCode"));
    String id = body.string("id");
    if (!TENANT_ID.matcher(id).matches()) {
      throw body.invalid("id", "must be 2 to 63 lowercase letters, digits or -, starting with a letter or digit");
    }
    String name = body.string("name");
    Optional<String> realm = body.optionalString("sipRealm");
    Optional<String> countryCode = body.optionalString("countryCode");
    // Registered first: a tenant that exists is always listed (a failed create leaves an id the list skips).
    return TenantRegistry.ref(system)
        .<Done>askWithStatus(r -> new TenantRegistry.RegisterTenant(id, r), settings.askTimeout())
        .thenCompose(done -> this.<Tenant>askTenant(id, r -> new Directory.CreateTenant(name, realm, countryCode,
            Instant.now(), r)))
        .thenApply(t -> created("/api/v1/tenants/" + id, tenantJson(t)));
  }

  private CompletionStage<HttpResponse> listTenants(AdminRoutes.Call call) {
    CompletionStage<List<String>> ids = call.principal().isOwner()
        ? TenantRegistry.ref(system).<TenantRegistry.TenantIds>askWithStatus(TenantRegistry.ListTenants::new,
            settings.askTimeout()).thenApply(t -> List.copyOf(t.tenantIds()))
        : CompletableFuture.completedFuture(call.principal().tenantId().stream().toList());
    return ids.thenCompose(list -> {
      List<CompletableFuture<Optional<Tenant>>> each = list.stream()
          .map(id -> this.<DirectoryView>askTenant(id, Directory.GetDirectory::new).toCompletableFuture()
              .thenApply(v -> Optional.of(v.tenant()))
              .exceptionally(e -> {
                if (unwrap(e) instanceof DirectoryError d && d.kind() == DirectoryError.Kind.NOT_FOUND) {
                  return Optional.empty(); // registered, but deleted or never created
                }
                throw e instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(e);
              }))
          .toList();
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(x -> ok(list("tenants",
          each.stream().map(CompletableFuture::join).flatMap(Optional::stream).map(DirectoryAdmin::tenantJson)
              .toList())));
    });
  }

  private CompletionStage<HttpResponse> updateTenant(AdminRoutes.Call call) {
    JsonBody body = call.json().allowOnly(Set.of("id", "name", "sipRealm", "countryCode"));
    sameId(body, "id", call.param(0));
    String name = body.string("name");
    String realm = body.string("sipRealm");
    String countryCode = body.string("countryCode");
    return this.<Tenant>ask(call, r -> new Directory.UpdateTenant(name, realm, countryCode, r))
        .thenApply(t -> ok(tenantJson(t)));
  }

  private CompletionStage<HttpResponse> deleteTenant(AdminRoutes.Call call) {
    String id = call.param(0);
    if (call.principal().mayAccessTenant(id) && !call.principal().isOwner()) {
      throw ApiProblem.forbidden("only an owner token may delete tenants");
    }
    return this.<Done>ask(call, r -> new Directory.DeleteTenant(Instant.now(), r))
        .thenCompose(done -> TenantRegistry.ref(system)
            .<Done>askWithStatus(r -> new TenantRegistry.UnregisterTenant(id, r), settings.askTimeout()))
        .thenCompose(done -> revokeTokensOf(id))
        .thenApply(done -> noContent());
  }

  /** A deleted tenant's admin tokens stop working with it (they could still read its call records). */
  private CompletionStage<Done> revokeTokensOf(String tenantId) {
    return io.switchboard.http.auth.AccessTokens.ref(system)
        .<io.switchboard.http.auth.AccessTokens.TokenRecords>askWithStatus(
            io.switchboard.http.auth.AccessTokens.ListTokens::new, settings.askTimeout())
        .thenCompose(all -> {
          CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
          for (var token : all.tokens()) {
            if (token.tenantId().equals(Optional.of(tenantId)) && !token.isRevoked()) {
              chain = chain.thenCompose(d -> io.switchboard.http.auth.AccessTokens.ref(system)
                  .<io.switchboard.http.auth.TokenRecord>askWithStatus(r -> new io.switchboard.http.auth.AccessTokens
                      .RevokeToken(token.tokenId(), Instant.now(), r), settings.askTimeout())
                  .thenApply(revoked -> Done.getInstance()));
            }
          }
          return chain;
        });
  }

  static ObjectNode tenantJson(Tenant t) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.put("id", t.tenantId());
    n.put("name", t.name());
    n.put("sipRealm", t.sipRealm());
    n.put("countryCode", t.countryCode());
    n.put("createdAt", t.createdAt().toString());
    return n;
  }

  // --- users ---

  private CompletionStage<HttpResponse> saveUser(AdminRoutes.Call call, boolean create) {
    JsonBody body = entryBody(call, create, "displayName", "extension", "email", "sipUsername", "sipPassword");
    String userId = create ? newId("u-") : call.param(1);
    String extension = body.string("extension");
    UserEntry user = new UserEntry(userId, body.string("displayName"), extension, body.optionalString("email"),
        body.optionalString("sipUsername").orElse(extension));
    Optional<String> password = body.optionalString("sipPassword");
    password.flatMap(SipPasswords::problem).ifPresent(problem -> {
      throw body.invalid("sipPassword", problem);
    });
    // The HA1 values depend on the realm: read it, hash off the actors, then store.
    CompletionStage<Optional<SipCredentials>> credentials = password.isEmpty()
        ? CompletableFuture.completedFuture(Optional.empty())
        : view(call).thenCompose(v -> hashing.submit(() -> Optional.of(SipPasswords.credentials(user.sipUsername(),
            v.tenant().sipRealm(), password.get(), settings.bcryptCost()))));
    return credentials
        .thenCompose(c -> this.<UserView>ask(call, r -> create ? new Directory.CreateUser(user, c, r)
            : new Directory.UpdateUser(user, c, r)))
        .thenApply(v -> create ? created(location(call, "users", userId), userJson(v)) : ok(userJson(v)));
  }

  static ObjectNode userJson(UserView v) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.put("id", v.user().userId());
    n.put("displayName", v.user().displayName());
    n.put("extension", v.user().extension());
    n.put("email", v.user().email().orElse(null));
    n.put("sipUsername", v.user().sipUsername());
    // The password itself, its hash and the HA1 values never leave the directory.
    n.put("sipPassword", v.sipPassword().name().toLowerCase(Locale.ROOT));
    return n;
  }

  // --- ring groups ---

  private CompletionStage<HttpResponse> saveRingGroup(AdminRoutes.Call call, boolean create) {
    JsonBody body = entryBody(call, create, "name", "extension", "strategy", "members", "memberTimeoutSeconds");
    String groupId = create ? newId("rg-") : call.param(1);
    RingGroup group = new RingGroup(groupId, body.string("name"), body.string("extension"),
        strategy(body), body.strings("members"),
        Duration.ofSeconds(body.optionalInteger("memberTimeoutSeconds", 1, 3600).orElse(DEFAULT_MEMBER_TIMEOUT_SECONDS)));
    return this.<RingGroup>ask(call, r -> create ? new Directory.CreateRingGroup(group, r)
            : new Directory.UpdateRingGroup(group, r))
        .thenApply(g -> create ? created(location(call, "ring-groups", groupId), ringGroupJson(g))
            : ok(ringGroupJson(g)));
  }

  private static RingStrategy strategy(JsonBody body) {
    String value = body.string("strategy");
    for (RingStrategy s : RingStrategy.values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(value)) {
        return s;
      }
    }
    throw body.invalid("strategy", "must be ring_all, sequential or round_robin");
  }

  static ObjectNode ringGroupJson(RingGroup g) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.put("id", g.groupId());
    n.put("name", g.name());
    n.put("extension", g.extension());
    n.put("strategy", g.strategy().name().toLowerCase(Locale.ROOT));
    ArrayNode members = n.putArray("members");
    g.memberUserIds().forEach(members::add);
    n.put("memberTimeoutSeconds", g.memberTimeout().toSeconds());
    return n;
  }

  // --- numbers ---

  private CompletionStage<HttpResponse> saveNumber(AdminRoutes.Call call, boolean create) {
    JsonBody body = call.json().allowOnly(Set.of("number", "target", "calendarId", "closedTarget"));
    String number = create ? body.string("number") : call.param(1);
    if (!create) {
      sameId(body, "number", number);
    }
    Did did = new Did(number, target(body.object("target")), body.optionalString("calendarId"),
        body.optionalObject("closedTarget").map(DirectoryAdmin::target));
    return this.<Did>ask(call, r -> create ? new Directory.CreateDid(did, r) : new Directory.UpdateDid(did, r))
        .thenApply(d -> create ? created(location(call, "numbers", number), numberJson(d)) : ok(numberJson(d)));
  }

  private static NumberTarget target(JsonBody t) {
    String type = t.string("type");
    return switch (type) {
      case "extension" -> {
        t.allowOnly(Set.of("type", "extension"));
        yield new NumberTarget.ToExtension(t.string("extension"));
      }
      case "ring_group" -> {
        t.allowOnly(Set.of("type", "ringGroupId"));
        yield new NumberTarget.ToRingGroup(t.string("ringGroupId"));
      }
      case "queue" -> {
        t.allowOnly(Set.of("type", "queueId"));
        yield new NumberTarget.ToQueue(t.string("queueId"));
      }
      case "ivr" -> {
        t.allowOnly(Set.of("type", "flowId"));
        yield new NumberTarget.ToIvr(t.string("flowId"));
      }
      default -> throw t.invalid("type", "must be extension, ring_group, queue or ivr");
    };
  }

  static ObjectNode numberJson(Did d) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.put("number", d.number());
    n.set("target", targetJson(d.target()));
    n.put("calendarId", d.calendarId().orElse(null));
    n.set("closedTarget", d.closedTarget().map(DirectoryAdmin::targetJson).orElse(null));
    return n;
  }

  private static ObjectNode targetJson(NumberTarget t) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    if (t instanceof NumberTarget.ToExtension e) {
      n.put("type", "extension").put("extension", e.extension());
    } else if (t instanceof NumberTarget.ToRingGroup g) {
      n.put("type", "ring_group").put("ringGroupId", g.groupId());
    } else if (t instanceof NumberTarget.ToQueue q) {
      n.put("type", "queue").put("queueId", q.queueId());
    } else {
      n.put("type", "ivr").put("flowId", ((NumberTarget.ToIvr) t).flowId());
    }
    return n;
  }

  // --- business hours ---

  private CompletionStage<HttpResponse> saveCalendar(AdminRoutes.Call call, boolean create) {
    JsonBody body = entryBody(call, create, "name", "timeZone", "weekly", "holidays");
    String calendarId = create ? newId("bh-") : call.param(1);
    ZoneId zone;
    try {
      zone = ZoneId.of(body.string("timeZone"));
    } catch (DateTimeException e) {
      throw body.invalid("timeZone", "must be an IANA time zone such as Europe/Berlin");
    }
    BusinessHours calendar = BusinessHours.of(calendarId, body.string("name"), zone, weekly(body.object("weekly")),
        holidays(body));
    return this.<BusinessHours>ask(call, r -> create ? new Directory.CreateBusinessHours(calendar, r)
            : new Directory.UpdateBusinessHours(calendar, r))
        .thenApply(c -> create ? created(location(call, "business-hours", calendarId), calendarJson(c))
            : ok(calendarJson(c)));
  }

  private static Map<DayOfWeek, List<BusinessHours.OpenRange>> weekly(JsonBody weekly) {
    Map<DayOfWeek, List<BusinessHours.OpenRange>> days = new EnumMap<>(DayOfWeek.class);
    for (String name : weekly.fieldNames()) {
      DayOfWeek day;
      try {
        day = DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw weekly.invalid(name, "unknown day (monday to sunday)");
      }
      List<BusinessHours.OpenRange> ranges = new ArrayList<>();
      for (JsonBody range : weekly.objects(name)) {
        range.allowOnly(Set.of("from", "to"));
        ranges.add(new BusinessHours.OpenRange(time(range, "from"), time(range, "to")));
      }
      days.put(day, ranges);
    }
    return days;
  }

  /** HH:MM; "24:00" is the end of the day (stored as 00:00 closing). */
  private static LocalTime time(JsonBody range, String field) {
    String value = range.string(field);
    if (field.equals("to") && value.equals("24:00")) {
      return LocalTime.MIDNIGHT;
    }
    try {
      return LocalTime.parse(value);
    } catch (DateTimeParseException e) {
      throw range.invalid(field, "must be a time HH:MM");
    }
  }

  private static Set<LocalDate> holidays(JsonBody body) {
    if (!body.has("holidays")) {
      return Set.of();
    }
    Set<LocalDate> dates = new TreeSet<>();
    List<String> values = body.strings("holidays");
    for (int i = 0; i < values.size(); i++) {
      try {
        dates.add(LocalDate.parse(values.get(i)));
      } catch (DateTimeParseException e) {
        throw body.invalid("holidays[" + i + "]", "must be a date YYYY-MM-DD");
      }
    }
    return dates;
  }

  static ObjectNode calendarJson(BusinessHours c) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.put("id", c.calendarId());
    n.put("name", c.name());
    n.put("timeZone", c.timeZone().getId());
    ObjectNode weekly = n.putObject("weekly");
    c.weekly().forEach((day, ranges) -> {
      ArrayNode list = weekly.putArray(day.name().toLowerCase(Locale.ROOT));
      ranges.forEach(r -> list.addObject().put("from", r.opens().toString())
          .put("to", r.closes().equals(LocalTime.MIDNIGHT) ? "24:00" : r.closes().toString()));
    });
    ArrayNode holidays = n.putArray("holidays");
    c.holidays().forEach(h -> holidays.add(h.toString()));
    return n;
  }

  // --- trunks ---

  private static final String CALLER_ID_PROBLEM = "must be E.164 with the plus sign and 8 to 15 digits, such as +4930123456";

  private CompletionStage<HttpResponse> saveTrunk(AdminRoutes.Call call, boolean create) {
    JsonBody body = call.json().allowOnly(Set.of("id", "name", "host", "port", "transport", "allowedSources",
        "username", "realm", "password", "register", "callerId"));
    if (!create) {
      sameId(body, "id", call.param(1));
    }
    String trunkId = create ? body.optionalString("id").orElseGet(() -> newId("tr-")) : call.param(1);
    Trunk.Transport transport = transport(body);
    Optional<String> callerId = body.optionalString("callerId");
    if (callerId.filter(String::isEmpty).isPresent()) {
      throw body.invalid("callerId", CALLER_ID_PROBLEM); // else it would read as absent once it crossed the cluster
    }
    Trunk trunk = new Trunk(trunkId, body.string("name"), body.string("host"),
        body.optionalInteger("port", 1, 65535).orElse(transport == Trunk.Transport.TLS ? 5061 : 5060), transport,
        body.has("allowedSources") ? body.strings("allowedSources") : List.of(), Optional.empty(),
        body.optionalBoolean("register").orElse(false), callerId);

    Optional<String> username = body.optionalString("username");
    Optional<String> realm = body.optionalString("realm");
    Optional<String> password = body.optionalString("password");
    CompletionStage<Optional<TrunkCredentials>> credentials;
    if (password.isPresent()) {
      SipPasswords.trunkProblem(password.get()).ifPresent(problem -> {
        throw body.invalid("password", problem);
      });
      String user = username.orElseThrow(() -> body.invalid("username", "is required when password is set"));
      String carrierRealm = realm.orElseThrow(() -> body.invalid("realm", "is required when password is set"));
      // The HA1 values: hashed off the actors and the HTTP threads, like every password.
      credentials = hashing.submit(() -> Optional.of(SipPasswords.trunkCredentials(user, carrierRealm, password.get())));
    } else if (username.isEmpty() && realm.isEmpty()) {
      credentials = CompletableFuture.completedFuture(Optional.empty()); // on a PUT: the stored ones stay
    } else if (create) {
      throw body.invalid("password", "is required when username or realm is set");
    } else {
      // Username and realm are part of the stored HA1 values: they may be repeated, not changed without the password.
      credentials = view(call).thenApply(v -> {
        Optional<TrunkCredentials> stored = find(v.trunks(), Trunk::trunkId, trunkId, "trunk").credentials();
        boolean same = stored.isPresent() && username.map(stored.get().username()::equals).orElse(true)
            && realm.map(stored.get().realm()::equals).orElse(true);
        if (!same) {
          throw body.invalid("password", "is required when username or realm is set or changed");
        }
        return Optional.empty();
      });
    }
    return credentials
        .thenCompose(c -> this.<Trunk>ask(call, r -> create ? new Directory.CreateTrunk(trunk.withCredentials(c), r)
            : new Directory.UpdateTrunk(trunk.withCredentials(c), r)))
        .thenApply(t -> create ? created(location(call, "trunks", trunkId), trunkJson(t)) : ok(trunkJson(t)));
  }

  private static Trunk.Transport transport(JsonBody body) {
    String value = body.optionalString("transport").orElse("udp");
    for (Trunk.Transport t : Trunk.Transport.values()) {
      if (t.name().toLowerCase(Locale.ROOT).equals(value)) {
        return t;
      }
    }
    throw body.invalid("transport", "must be udp, tcp or tls");
  }

  static ObjectNode trunkJson(Trunk t) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.put("id", t.trunkId());
    n.put("name", t.name());
    n.put("host", t.host());
    n.put("port", t.port());
    n.put("transport", t.transport().name().toLowerCase(Locale.ROOT));
    ArrayNode sources = n.putArray("allowedSources");
    t.allowedSources().forEach(sources::add);
    n.put("username", t.credentials().map(TrunkCredentials::username).orElse(null));
    n.put("realm", t.credentials().map(TrunkCredentials::realm).orElse(null));
    // Neither the password nor its HA1 values ever leave the directory.
    n.put("password", t.credentials().isPresent() ? "set" : "not_set");
    n.put("register", t.register());
    n.put("callerId", t.callerId().orElse(null));
    return n;
  }

  static ObjectNode list(String name, List<ObjectNode> items) {
    ObjectNode n = JsonBody.JSON.createObjectNode();
    n.putArray(name).addAll(items);
    return n;
  }

  static Throwable unwrap(Throwable e) {
    Throwable cause = e;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
