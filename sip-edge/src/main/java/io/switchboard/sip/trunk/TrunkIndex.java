package io.switchboard.sip.trunk;

import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.DirectoryView;
import io.switchboard.call.directory.TenantRegistry;
import io.switchboard.call.directory.Trunk;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The SIP trunks of every tenant, as this edge node last read them from the Directories, so that an
 * INVITE from a carrier's address is matched to its trunk without a lookup on the call path.
 * Refreshed in the background every {@link #REFRESH_INTERVAL}: a trunk provisioned through the admin
 * API takes effect within that time.
 */
public final class TrunkIndex implements AutoCloseable {
  public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(5);
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  /** A trunk and the tenant it belongs to. */
  public record TenantTrunk(String tenantId, Trunk trunk) {}

  private final ActorSystem<?> system;
  private volatile List<TenantTrunk> trunks = List.of();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final Cancellable schedule;

  public TrunkIndex(ActorSystem<?> system) {
    this.system = system;
    this.schedule = system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), REFRESH_INTERVAL,
        this::refresh, system.executionContext());
  }

  /** The trunk whose allowed sources include {@code source}, if any (the first one provisioned wins). */
  public Optional<TenantTrunk> forSource(InetAddress source) {
    for (TenantTrunk t : trunks) {
      if (t.trunk().allows(source)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public List<TenantTrunk> all() {
    return trunks;
  }

  /** Reads every tenant's trunks; one refresh at a time, failures keep the previous table. */
  public CompletableFuture<List<TenantTrunk>> refresh() {
    if (!refreshing.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(trunks);
    }
    return TenantRegistry.ref(system).<TenantRegistry.TenantIds>askWithStatus(TenantRegistry.ListTenants::new,
            ASK_TIMEOUT).toCompletableFuture()
        .thenCompose(ids -> {
          List<CompletableFuture<List<TenantTrunk>>> views = new ArrayList<>();
          for (String id : ids.tenantIds()) {
            views.add(Directory.ref(system, id).<DirectoryView>askWithStatus(Directory.GetDirectory::new, ASK_TIMEOUT)
                .toCompletableFuture()
                .thenApply(v -> v.trunks().stream().map(t -> new TenantTrunk(id, t)).toList())
                .exceptionally(e -> List.of()));
          }
          return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<TenantTrunk> all = new ArrayList<>();
            views.forEach(v -> all.addAll(v.join()));
            return List.copyOf(all);
          });
        })
        .whenComplete((table, error) -> {
          if (table != null) {
            trunks = table;
          } else {
            system.log().debug("trunk table not refreshed: {}", error.toString());
          }
          refreshing.set(false);
        });
  }

  @Override
  public void close() {
    schedule.cancel();
  }
}
