package io.switchboard.call;

import io.switchboard.call.directory.Directory;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.Destination;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.call.routing.RingStrategy;
import io.switchboard.call.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.StatusReply;

/**
 * {@link CallRouting} over the sharded entities: the tenant's {@link Directory} says what a dialled
 * address is, and each {@link User} how to reach them now. Every ask has a timeout; any failure
 * becomes a {@link RoutingOutcome.Fail} the Call ends with, never an exception inside it.
 */
public final class ShardedCallRouting implements CallRouting {
  /** How long one directory or user lookup may take before the call fails over to "failed". */
  public static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;

  public ShardedCallRouting(ActorSystem<?> system) {
    this.system = system;
  }

  @Override
  public CompletionStage<RoutingOutcome> route(String tenantId, String callId, String dialled, Instant at) {
    CompletionStage<StatusReply<Destination>> resolved = Directory.ref(system, tenantId)
        .ask(replyTo -> new Directory.Resolve(dialled, at, replyTo), ASK_TIMEOUT);
    return resolved.thenCompose(reply -> reply.isSuccess()
            ? toOutcome(tenantId, callId, reply.getValue())
            : CompletableFuture.completedFuture(new RoutingOutcome.Fail(HangupCause.NOT_FOUND,
                reply.getError().getMessage())))
        .exceptionally(error -> new RoutingOutcome.Fail(HangupCause.FAILED, "directory lookup failed: " + error));
  }

  private CompletionStage<RoutingOutcome> toOutcome(String tenantId, String callId, Destination destination) {
    if (destination instanceof Destination.ToUser user) {
      return ringPlan(tenantId, callId, user).thenApply(plan -> userOutcome(user, plan));
    }
    if (destination instanceof Destination.ToRingGroup group) {
      return ringGroup(tenantId, callId, group);
    }
    RoutingOutcome outcome;
    if (destination instanceof Destination.ToQueue queue) {
      outcome = new RoutingOutcome.Fail(HangupCause.UNAVAILABLE, "queue " + queue.queueId() + " has no agents yet");
    } else if (destination instanceof Destination.ToIvr ivr) {
      outcome = new RoutingOutcome.Fail(HangupCause.UNAVAILABLE, "IVR flow " + ivr.flowId() + " cannot run yet");
    } else if (destination instanceof Destination.ToExternal external) {
      outcome = new RoutingOutcome.Fail(HangupCause.UNAVAILABLE, "no trunk reaches " + external.e164());
    } else {
      outcome = new RoutingOutcome.Fail(HangupCause.NOT_FOUND, "nothing answers to "
          + ((Destination.NotFound) destination).dialled());
    }
    return CompletableFuture.completedFuture(outcome);
  }

  private CompletionStage<RingPlan> ringPlan(String tenantId, String callId, Destination.ToUser user) {
    CompletionStage<StatusReply<RingPlan>> plan = User.ref(system, tenantId, user.userId())
        .ask(replyTo -> new User.GetRingPlan(callId, replyTo), ASK_TIMEOUT);
    return plan.thenApply(reply -> reply.isSuccess() ? reply.getValue()
        : (RingPlan) new RingPlan.Reject(user.userId(), HangupCause.UNAVAILABLE));
  }

  private static List<RoutingOutcome.RingTarget> targets(Destination.ToUser user, List<Contact> contacts) {
    return contacts.stream().map(c -> new RoutingOutcome.RingTarget(Optional.of(user.userId()),
        Party.of(user.extension()), c)).toList();
  }

  static RoutingOutcome userOutcome(Destination.ToUser user, RingPlan plan) {
    if (plan instanceof RingPlan.Ring ring) {
      if (ring.contacts().isEmpty()) {
        return new RoutingOutcome.Fail(HangupCause.UNAVAILABLE, "user " + user.userId() + " has no device");
      }
      List<RoutingOutcome.RingStep> steps = ring.mode() == RingPlan.RingMode.SIMULTANEOUS
          ? List.of(new RoutingOutcome.RingStep(targets(user, ring.contacts()), ring.noAnswerTimeout()))
          : ring.contacts().stream().map(c -> new RoutingOutcome.RingStep(targets(user, List.of(c)),
              ring.noAnswerTimeout())).toList();
      return new RoutingOutcome.Ring(user.extension(), Optional.of(user.userId()), steps, ring.forwardOnNoAnswer(),
          ring.forwardOnBusy());
    }
    if (plan instanceof RingPlan.Forward forward) {
      return new RoutingOutcome.Forward(user.userId(), forward.target(), forward.reason());
    }
    RingPlan.Reject reject = (RingPlan.Reject) plan;
    return new RoutingOutcome.Fail(reject.cause(), "user " + user.userId() + " cannot take calls now");
  }

  /**
   * A ring group rings its members' devices (members' own forwarding does not apply: the group
   * owns the call); members who cannot take a call now are skipped.
   */
  private CompletionStage<RoutingOutcome> ringGroup(String tenantId, String callId, Destination.ToRingGroup group) {
    List<CompletableFuture<RingPlan>> plans = group.members().stream()
        .map(m -> ringPlan(tenantId, callId, m).toCompletableFuture()).toList();
    return CompletableFuture.allOf(plans.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<List<RoutingOutcome.RingTarget>> reachable = new ArrayList<>();
      boolean anyBusy = false;
      for (int i = 0; i < plans.size(); i++) {
        RingPlan plan = plans.get(i).join();
        if (plan instanceof RingPlan.Ring ring && !ring.contacts().isEmpty()) {
          reachable.add(targets(group.members().get(i), ring.contacts()));
        } else {
          anyBusy |= plan instanceof RingPlan.Reject r && r.cause() == HangupCause.BUSY;
        }
      }
      if (reachable.isEmpty()) {
        return new RoutingOutcome.Fail(anyBusy ? HangupCause.BUSY : HangupCause.UNAVAILABLE,
            "no member of ring group " + group.name() + " can take the call");
      }
      List<RoutingOutcome.RingStep> steps = group.strategy() == RingStrategy.RING_ALL
          ? List.of(new RoutingOutcome.RingStep(reachable.stream().flatMap(List::stream).toList(),
              group.memberTimeout()))
          : reachable.stream().map(t -> new RoutingOutcome.RingStep(t, group.memberTimeout())).toList();
      return new RoutingOutcome.Ring(group.name(), Optional.empty(), steps, Optional.empty(), Optional.empty());
    });
  }

  @Override
  public void callActivity(String tenantId, String userId, String callId, boolean active) {
    User.ref(system, tenantId, userId).tell(new User.CallActivity(callId, active, system.ignoreRef()));
  }
}
