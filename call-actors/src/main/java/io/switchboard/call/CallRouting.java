package io.switchboard.call;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The Call's view of the directory: resolve a dialled address of a tenant into devices to ring.
 * Implemented over the sharded Directory and User entities ({@link ShardedCallRouting}); a Call
 * only ever calls it through {@code pipeToSelf}, so a slow directory never blocks it.
 */
public interface CallRouting {

  /** Never fails: problems come back as {@link RoutingOutcome.Fail}. */
  CompletionStage<RoutingOutcome> route(String tenantId, String callId, String dialled, Instant at);

  /** Tells a user's entity that one of its calls connected or ended (for busy and call waiting). */
  void callActivity(String tenantId, String userId, String callId, boolean active);
}
