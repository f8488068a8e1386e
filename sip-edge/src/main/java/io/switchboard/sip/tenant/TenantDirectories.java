package io.switchboard.sip.tenant;

import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.DirectoryView;
import io.switchboard.call.directory.Tenant;
import io.switchboard.call.directory.TenantRegistry;
import io.switchboard.call.directory.Trunk;
import io.switchboard.sip.b2bua.SipAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What the edge needs from every tenant's Directory, read in one sweep and kept on this node: which
 * tenant a SIP domain (realm) belongs to, and the trunks whose addresses may call without digest.
 * The sweep runs in the background every {@link #REFRESH_INTERVAL}. A request for an unknown domain
 * waits (at most {@link #MAX_WAIT}) for a sweep that starts after it, so a tenant is served as soon
 * as it is created — but only one miss per interval does: the others are answered from the index at
 * once, so a flood of unknown domains costs one sweep per interval. Lookups of known domains and
 * trunks read the last index and never ask an entity.
 */
public final class TenantDirectories implements AutoCloseable {
  public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(5);
  /** Longest a request waits for an early sweep. */
  static final Duration MAX_WAIT = Duration.ofSeconds(1);
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  /** A trunk and the tenant it belongs to. */
  public record TenantTrunk(String tenantId, Trunk trunk) {}

  /** One sweep's result, indexed for the lookups. */
  private record Index(Map<String, String> tenantByRealm, Map<String, String> realmByTenant,
                       List<TenantTrunk> trunks) {
    static final Index EMPTY = new Index(Map.of(), Map.of(), List.of());

    static Index of(List<DirectoryView> views) {
      Map<String, String> byRealm = new HashMap<>();
      Map<String, String> realms = new HashMap<>();
      List<TenantTrunk> trunks = new ArrayList<>();
      for (DirectoryView v : views) {
        String id = v.tenant().tenantId();
        byRealm.put(v.tenant().sipRealm().toLowerCase(Locale.ROOT), id);
        realms.put(id, v.tenant().sipRealm());
        v.trunks().forEach(t -> trunks.add(new TenantTrunk(id, t)));
      }
      return new Index(Map.copyOf(byRealm), Map.copyOf(realms), List.copyOf(trunks));
    }
  }

  private final ActorSystem<?> system;
  private final Optional<String> defaultTenant;
  private volatile Index index = Index.EMPTY;
  private final AtomicReference<CompletableFuture<Index>> sweeping = new AtomicReference<>();
  private final AtomicReference<CompletableFuture<Index>> queued = new AtomicReference<>();
  /** System.nanoTime() of the last miss allowed to wait for a sweep. */
  private final java.util.concurrent.atomic.AtomicLong lastWaitingMiss =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - REFRESH_INTERVAL.toNanos());
  private final Cancellable schedule;

  public TenantDirectories(ActorSystem<?> system, Optional<String> defaultTenant) {
    this.system = system;
    this.defaultTenant = defaultTenant;
    this.schedule = system.scheduler().scheduleWithFixedDelay(Duration.ZERO, REFRESH_INTERVAL, this::sweep,
        system.executionContext());
  }

  /**
   * The tenant for a request's domain (host part of the Request-URI): the tenant whose SIP realm it
   * is, else, for an IP address, the configured default tenant.
   */
  public CompletionStage<Optional<String>> tenantFor(String domain) {
    String realm = domain.toLowerCase(Locale.ROOT);
    Optional<String> known = Optional.ofNullable(index.tenantByRealm().get(realm));
    long now = System.nanoTime();
    long last = lastWaitingMiss.get();
    if (known.isPresent() || now - last < REFRESH_INTERVAL.toNanos() || !lastWaitingMiss.compareAndSet(last, now)) {
      return CompletableFuture.completedFuture(known.or(() -> fallback(realm)));
    }
    return sweepStartingNow().completeOnTimeout(index, MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(i -> Optional.ofNullable(i.tenantByRealm().get(realm)).or(() -> fallback(realm)));
  }

  /** The SIP realm of a tenant (its digest realm). */
  public String realmOf(String tenantId) {
    return index.realmByTenant().getOrDefault(tenantId, Tenant.defaultRealm(tenantId));
  }

  /** The trunk whose allowed sources include {@code source}, if any (the first one provisioned wins). */
  public Optional<TenantTrunk> trunkFor(InetAddress source) {
    for (TenantTrunk t : index.trunks()) {
      if (t.trunk().allows(source)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public List<TenantTrunk> trunks() {
    return index.trunks();
  }

  private Optional<String> fallback(String realm) {
    return SipAddresses.isIpLiteralHost(realm) || realm.equals("localhost") ? defaultTenant : Optional.empty();
  }

  /**
   * A sweep that starts now or later: a sweep already running may have read the Directories before
   * what the caller looks for existed, so one more is queued after it, shared by every caller.
   */
  private CompletableFuture<Index> sweepStartingNow() {
    CompletableFuture<Index> running = sweeping.get();
    if (running == null) {
      return sweep();
    }
    CompletableFuture<Index> next = new CompletableFuture<>();
    CompletableFuture<Index> already = queued.compareAndExchange(null, next);
    if (already != null) {
      return already;
    }
    running.whenComplete((i, e) -> {
      queued.set(null);
      sweep().whenComplete((fresh, error) -> next.complete(index));
    });
    return next;
  }

  /** One sweep at a time: callers during a sweep share it; a failed sweep keeps the last index. */
  private CompletableFuture<Index> sweep() {
    CompletableFuture<Index> mine = new CompletableFuture<>();
    CompletableFuture<Index> running = sweeping.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    TenantRegistry.ref(system).<TenantRegistry.TenantIds>askWithStatus(TenantRegistry.ListTenants::new, ASK_TIMEOUT)
        .thenCompose(ids -> {
          List<CompletableFuture<Optional<DirectoryView>>> views = new ArrayList<>();
          for (String id : ids.tenantIds()) {
            views.add(Directory.ref(system, id).<DirectoryView>askWithStatus(Directory.GetDirectory::new, ASK_TIMEOUT)
                .toCompletableFuture().thenApply(Optional::of).exceptionally(e -> Optional.empty()));
          }
          return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
              .thenApply(x -> Index.of(views.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList()));
        })
        .whenComplete((fresh, error) -> {
          if (fresh != null) {
            index = fresh;
          } else {
            system.log().debug("tenant directories not read: {}", error.toString());
          }
          sweeping.set(null);
          mine.complete(index);
        });
    return mine;
  }

  @Override
  public void close() {
    schedule.cancel();
  }
}
