package io.switchboard.call;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routing for entity tests, in test scope only: answers from a table of dialled address to outcome
 * (addresses not in the table never answer, so a test can drive {@link CallCommand.RoutingDone}
 * itself and see its exact events), and records call activity.
 */
final class TestRouting implements CallRouting {
  final Map<String, RoutingOutcome> table = new ConcurrentHashMap<>();
  final List<String> activity = new CopyOnWriteArrayList<>();

  @Override
  public CompletionStage<RoutingOutcome> route(String tenantId, String callId, String dialled, Instant at) {
    RoutingOutcome outcome = table.get(dialled);
    return outcome == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(outcome);
  }

  @Override
  public void callActivity(String tenantId, String userId, String callId, boolean active) {
    activity.add(userId + (active ? " busy on " : " free of ") + callId);
  }
}
