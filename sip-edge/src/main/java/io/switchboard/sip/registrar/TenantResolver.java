package io.switchboard.sip.registrar;

import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.DirectoryView;
import io.switchboard.call.directory.Tenant;
import io.switchboard.call.directory.TenantRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Which tenant a SIP domain belongs to: the tenant whose SIP realm it is (so {@code acme.switchboard}
 * or a realm set through the admin API), else the configured default tenant for requests addressed
 * to an IP address. Realms are read from the Directory entities and cached; a domain not in the
 * cache triggers at most one refresh per {@link #REFRESH_INTERVAL}, so unknown domains in a flood
 * cost no lookups.
 */
public final class TenantResolver {
  /** Shortest time between two refreshes of the realm table. */
  public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(5);
  /** How long a lookup of the Directory may take. */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final Optional<String> defaultTenant;
  private final Clock clock;
  /** Longest a request waits for the realm table to be rebuilt. */
  static final Duration MAX_WAIT = Duration.ofSeconds(1);
  private static final String DEFAULT_SUFFIX = Tenant.defaultRealm("");
  private volatile Map<String, String> tenantByRealm = Map.of();
  private volatile java.util.Set<String> tenantIds = java.util.Set.of();
  private final AtomicReference<CompletableFuture<Map<String, String>>> refreshing = new AtomicReference<>();
  private volatile Instant lastRefresh = Instant.EPOCH;
  private final Map<String, String> realmByTenant = new ConcurrentHashMap<>();

  public TenantResolver(ActorSystem<?> system, Optional<String> defaultTenant, Clock clock) {
    this.system = system;
    this.defaultTenant = defaultTenant;
    this.clock = clock;
  }

  /**
   * The tenant for a request's domain (host part of the Request-URI or To). A default realm
   * ({@code <tenant>.switchboard}) needs only the list of tenant ids; a custom realm needs the
   * realm table, rebuilt from the Directories at most once per {@link #REFRESH_INTERVAL}. A request
   * never waits longer than {@link #MAX_WAIT} for a rebuild: a flood of unknown domains costs one.
   */
  public CompletionStage<Optional<String>> tenantFor(String domain) {
    String realm = domain.toLowerCase(Locale.ROOT);
    String known = tenantByRealm.get(realm);
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known));
    }
    Optional<String> byDefaultRealm = defaultRealmTenant(realm);
    if (byDefaultRealm.isPresent()) {
      return CompletableFuture.completedFuture(byDefaultRealm);
    }
    Instant now = clock.instant();
    if (Duration.between(lastRefresh, now).compareTo(REFRESH_INTERVAL) < 0) {
      return CompletableFuture.completedFuture(fallback(realm));
    }
    return refresh().toCompletableFuture()
        .completeOnTimeout(tenantByRealm, MAX_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .thenApply(table -> Optional.ofNullable(table.get(realm))
            .or(() -> defaultRealmTenant(realm)).or(() -> fallback(realm)));
  }

  private Optional<String> defaultRealmTenant(String realm) {
    if (!realm.endsWith(DEFAULT_SUFFIX)) {
      return Optional.empty();
    }
    String id = realm.substring(0, realm.length() - DEFAULT_SUFFIX.length());
    return tenantIds.contains(id) && !realmByTenant.containsKey(id) ? Optional.of(id) : Optional.empty();
  }

  /** The SIP realm of a tenant, for challenges when the request named an IP address. */
  public String realmOf(String tenantId) {
    return realmByTenant.getOrDefault(tenantId, Tenant.defaultRealm(tenantId));
  }

  private Optional<String> fallback(String realm) {
    return io.switchboard.sip.b2bua.SipAddresses.isIpLiteralHost(realm) || realm.equals("localhost") ? defaultTenant : Optional.empty();
  }

  private CompletionStage<Map<String, String>> refresh() {
    CompletableFuture<Map<String, String>> mine = new CompletableFuture<>();
    CompletableFuture<Map<String, String>> running = refreshing.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    lastRefresh = clock.instant();
    TenantRegistry.ref(system).<TenantRegistry.TenantIds>askWithStatus(TenantRegistry.ListTenants::new, ASK_TIMEOUT)
        .thenCompose(ids -> {
          tenantIds = java.util.Set.copyOf(ids.tenantIds());
          List<CompletableFuture<Optional<Tenant>>> views = new ArrayList<>();
          for (String id : ids.tenantIds()) {
            views.add(Directory.ref(system, id).<DirectoryView>askWithStatus(Directory.GetDirectory::new, ASK_TIMEOUT)
                .thenApply(v -> Optional.of(v.tenant())).exceptionally(e -> Optional.empty()).toCompletableFuture());
          }
          return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(x -> {
            Map<String, String> table = new ConcurrentHashMap<>();
            for (CompletableFuture<Optional<Tenant>> v : views) {
              v.join().ifPresent(t -> {
                table.put(t.sipRealm().toLowerCase(Locale.ROOT), t.tenantId());
                if (t.sipRealm().equalsIgnoreCase(Tenant.defaultRealm(t.tenantId()))) {
                  realmByTenant.remove(t.tenantId());
                } else {
                  realmByTenant.put(t.tenantId(), t.sipRealm());
                }
              });
            }
            return Map.copyOf(table);
          });
        })
        .whenComplete((table, error) -> {
          if (table != null) {
            tenantByRealm = table;
          }
          refreshing.set(null);
          if (error != null) {
            system.log().warn("SIP realm table not refreshed: {}", error.toString());
            mine.complete(tenantByRealm);
          } else {
            mine.complete(table);
          }
        });
    return mine;
  }
}
