package io.switchboard.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/** Readiness: not ready until start-up has completed (a load balancer must not send calls before). */
public final class StartupCompleteCheck implements Supplier<CompletionStage<Boolean>> {
  private final ActorSystem system;

  public StartupCompleteCheck(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(StartupState.get(Adapter.toTyped(system)).isComplete());
  }
}
