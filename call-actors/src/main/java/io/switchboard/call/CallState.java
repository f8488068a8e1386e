package io.switchboard.call;

import io.switchboard.call.CallEvent.Purpose;
import io.switchboard.call.CallEvent.TransferKind;
import io.switchboard.call.leg.Party;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A call's state, rebuilt from its {@link CallEvent}s. The {@link Phase} selects the command
 * handlers; the rest is data every phase may need. Immutable: {@link #apply} returns a new state.
 *
 * @param legs every leg the call ever had, in the order they joined
 * @param connected the two legs talking to each other, once answered (empty before)
 * @param attempt the routing attempt in progress: the callee while not yet connected, or a blind
 *     transfer's target
 * @param failures why each failed leg failed
 * @param ended the call's record, once ended
 * @param handedOver legs given to another call by an attended transfer, and that call's id
 */
public record CallState(Phase phase, String callId, String tenantId, Direction direction, Party caller,
                        Optional<String> callerUserId, String callerLegId, String dialled, Optional<String> offer,
                        Instant startedAt, Instant maxDurationAt, Map<String, CallLeg> legs, List<String> connected,
                        Optional<Attempt> attempt, int nextLegNumber, int nextAttemptId, int nextTransferId,
                        Optional<Instant> answeredAt, Set<String> held, Optional<Transfer> transfer,
                        List<String> transferChain, boolean callerAlerted, Optional<String> earlyMediaLegId,
                        Map<String, HangupCause> failures, Optional<CallRecord> ended,
                        Map<String, String> handedOver)
    implements ProtobufSerializable {

  public enum Phase {
    /** No Originate yet: the entity exists only because someone addressed it. */
    NEW,
    /** Looking up where the dialled address leads (no callee leg is live). */
    ROUTING,
    /** Callee legs offered; nobody answered yet. */
    RINGING,
    /** Two parties talk (possibly on hold, possibly while a transfer is in progress). */
    CONNECTED,
    /** Terminal: every later message is answered without a change. */
    ENDED
  }

  /**
   * One routing attempt: the address being reached, its chain of forwards (for loop protection),
   * the outcome once routed, and the ring step in progress.
   */
  public record Attempt(int attemptId, Purpose purpose, List<String> chain, Optional<RoutingOutcome.Ring> route,
                        int step, List<String> stepLegIds, Optional<Instant> deadline) {
    public Attempt {
      chain = List.copyOf(chain);
      stepLegIds = List.copyOf(stepLegIds);
    }

    public String target() {
      return chain.get(chain.size() - 1);
    }

    public boolean isRouting() {
      return route.isEmpty();
    }
  }

  /** A transfer in progress. {@code target} is an address (blind) or a consultation call id (attended). */
  public record Transfer(int transferId, TransferKind kind, String transferorLegId, String transfereeLegId,
                         String target, String consultationLegId) {}

  public CallState {
    legs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(legs));
    connected = List.copyOf(connected);
    held = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(held));
    transferChain = List.copyOf(transferChain);
    failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    handedOver = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(handedOver));
  }

  public static CallState empty(String callId) {
    return new CallState(Phase.NEW, callId, "", Direction.INTERNAL, Party.of(""), Optional.empty(), "", "",
        Optional.empty(), Instant.EPOCH, Instant.EPOCH, Map.of(), List.of(), Optional.empty(), 1, 1, 1,
        Optional.empty(), Set.of(), Optional.empty(), List.of(), false, Optional.empty(), Map.of(), Optional.empty(),
        Map.of());
  }

  public Optional<CallLeg> leg(String legId) {
    return Optional.ofNullable(legs.get(legId));
  }

  public CallLeg callerLeg() {
    return legs.get(callerLegId);
  }

  /** The connected leg that is not {@code legId}. */
  public Optional<CallLeg> otherParty(String legId) {
    return connected.contains(legId)
        ? connected.stream().filter(id -> !id.equals(legId)).findFirst().map(legs::get)
        : Optional.empty();
  }

  /** Live callee legs offered by the attempt in progress. */
  public List<CallLeg> ringingLegs() {
    return attempt.map(a -> a.stepLegIds().stream().map(legs::get).filter(CallLeg::isLive).toList())
        .orElse(List.of());
  }

  public boolean isRingingLeg(String legId) {
    return ringingLegs().stream().anyMatch(l -> l.legId().equals(legId));
  }

  public List<CallLeg> liveLegs() {
    return legs.values().stream().filter(CallLeg::isLive).toList();
  }

  public CallState apply(CallEvent event) {
    if (event instanceof CallEvent.CallStarted e) {
      CallLeg caller = new CallLeg(e.callerLegId(), CallLeg.Role.CALLER, e.caller(), e.callerUserId(),
          e.callerEdge(), CallLeg.Status.OFFERED, e.offer());
      Attempt first = new Attempt(1, Purpose.CALL, List.of(e.dialled()), Optional.empty(), -1, List.of(),
          Optional.empty());
      return new CallState(Phase.ROUTING, e.callId(), e.tenantId(), e.direction(), e.caller(), e.callerUserId(),
          e.callerLegId(), e.dialled(), e.offer(), e.startedAt(), e.maxDurationAt(), Map.of(caller.legId(), caller),
          List.of(), Optional.of(first), 1, 2, 1, Optional.empty(), Set.of(), Optional.empty(), List.of(), false,
          Optional.empty(), Map.of(), Optional.empty(), Map.of());
    }
    if (event instanceof CallEvent.RouteSelected e) {
      return withAttempt(a -> new Attempt(a.attemptId(), a.purpose(), a.chain(), Optional.of(e.outcome()), -1,
          List.of(), Optional.empty()));
    }
    if (event instanceof CallEvent.RingStepStarted e) {
      Attempt a = attempt.orElseThrow();
      RoutingOutcome.RingStep step = a.route().orElseThrow().steps().get(e.step());
      Map<String, CallLeg> newLegs = new LinkedHashMap<>(legs);
      for (int i = 0; i < e.legIds().size(); i++) {
        RoutingOutcome.RingTarget target = step.targets().get(i);
        newLegs.put(e.legIds().get(i), new CallLeg(e.legIds().get(i), CallLeg.Role.CALLEE, target.party(),
            target.userId(), target.contact().edge(), CallLeg.Status.OFFERED, Optional.empty()));
      }
      Attempt stepped = new Attempt(a.attemptId(), a.purpose(), a.chain(), a.route(), e.step(), e.legIds(),
          Optional.of(e.deadline()));
      return copy(a.purpose() == Purpose.CALL ? Phase.RINGING : phase, newLegs, connected, Optional.of(stepped),
          nextLegNumber + e.legIds().size(), nextAttemptId, transfer, answeredAt, held, transferChain, failures,
          ended);
    }
    if (event instanceof CallEvent.CallForwarded e) {
      Attempt a = attempt.orElseThrow();
      List<String> chain = new ArrayList<>(a.chain());
      chain.add(e.to());
      Attempt next = new Attempt(e.nextAttemptId(), a.purpose(), chain, Optional.empty(), -1, List.of(),
          Optional.empty());
      return copy(a.purpose() == Purpose.CALL ? Phase.ROUTING : phase, legs, connected, Optional.of(next),
          nextLegNumber, e.nextAttemptId() + 1, transfer, answeredAt, held, transferChain, failures, ended);
    }
    if (event instanceof CallEvent.LegAlerted e) {
      CallLeg leg = legs.get(e.legId());
      Map<String, CallLeg> newLegs = replaceLeg(leg.status() == CallLeg.Status.OFFERED
          ? leg.withStatus(CallLeg.Status.ALERTING) : leg);
      boolean forCaller = attempt.map(a -> a.purpose() == Purpose.CALL).orElse(false);
      Optional<String> early = earlyMediaLegId.isEmpty() && forCaller && e.earlyMedia().isPresent()
          ? Optional.of(e.legId()) : earlyMediaLegId;
      return new CallState(phase, callId, tenantId, direction, caller, callerUserId, callerLegId, dialled, offer,
          startedAt, maxDurationAt, newLegs, connected, attempt, nextLegNumber, nextAttemptId, nextTransferId,
          answeredAt, held, transfer, transferChain, callerAlerted || forCaller, early, failures, ended, handedOver);
    }
    if (event instanceof CallEvent.LegFailed e) {
      Map<String, HangupCause> newFailures = new LinkedHashMap<>(failures);
      newFailures.put(e.legId(), e.cause());
      CallState failed = copy(phase, replaceLeg(legs.get(e.legId()).withStatus(CallLeg.Status.FAILED)), connected,
          attempt, nextLegNumber, nextAttemptId, transfer, answeredAt, held, transferChain, newFailures, ended);
      // The caller no longer hears that leg's early media: the next device's may take its place.
      return earlyMediaLegId.equals(Optional.of(e.legId())) ? failed.withoutEarlyMedia() : failed;
    }
    if (event instanceof CallEvent.CallAnswered e) {
      Map<String, CallLeg> newLegs = new LinkedHashMap<>(legs);
      newLegs.put(e.legId(), legs.get(e.legId()).withStatus(CallLeg.Status.ANSWERED).withDescription(e.answer()));
      newLegs.put(callerLegId, callerLeg().withStatus(CallLeg.Status.ANSWERED));
      Map<String, HangupCause> newFailures = new LinkedHashMap<>(failures);
      for (String cancelled : e.cancelledLegIds()) {
        newLegs.put(cancelled, legs.get(cancelled).withStatus(CallLeg.Status.FAILED));
        newFailures.put(cancelled, HangupCause.CANCELLED);
      }
      return copy(Phase.CONNECTED, newLegs, List.of(callerLegId, e.legId()), Optional.empty(), nextLegNumber,
          nextAttemptId, transfer, Optional.of(e.answeredAt()), held, transferChain, newFailures, ended);
    }
    if (event instanceof CallEvent.HoldChanged e) {
      Set<String> newHeld = new LinkedHashSet<>(held);
      if (e.held()) {
        newHeld.add(e.legId());
      } else {
        newHeld.remove(e.legId());
      }
      return copy(phase, legs, connected, attempt, nextLegNumber, nextAttemptId, transfer, answeredAt, newHeld,
          transferChain, failures, ended);
    }
    if (event instanceof CallEvent.TransferStarted e) {
      Transfer started = new Transfer(e.transferId(), e.kind(), e.transferorLegId(), e.transfereeLegId(),
          e.target(), e.consultationLegId());
      Optional<Attempt> newAttempt = e.kind() == TransferKind.BLIND
          ? Optional.of(new Attempt(nextAttemptId, Purpose.TRANSFER, List.of(e.target()), Optional.empty(), -1,
              List.of(), Optional.empty()))
          : Optional.empty();
      int attempts = e.kind() == TransferKind.BLIND ? nextAttemptId + 1 : nextAttemptId;
      return new CallState(phase, callId, tenantId, direction, caller, callerUserId, callerLegId, dialled, offer,
          startedAt, maxDurationAt, legs, connected, newAttempt, nextLegNumber, attempts, e.transferId() + 1,
          answeredAt, held, Optional.of(started), transferChain, callerAlerted, earlyMediaLegId, failures, ended,
          handedOver);
    }
    if (event instanceof CallEvent.TransferCompleted e) {
      Transfer t = transfer.orElseThrow();
      Map<String, CallLeg> newLegs = new LinkedHashMap<>(legs);
      newLegs.put(e.newPartner().legId(), e.newPartner());
      CallLeg transferor = legs.get(t.transferorLegId());
      if (transferor.isLive()) {
        newLegs.put(transferor.legId(), transferor.withStatus(CallLeg.Status.ENDED));
      }
      Set<String> newHeld = new LinkedHashSet<>(held);
      newHeld.remove(t.transfereeLegId());
      newHeld.remove(t.transferorLegId());
      List<String> chain = new ArrayList<>(transferChain);
      chain.add(e.newPartner().party().address());
      return copy(phase, newLegs, List.of(t.transfereeLegId(), e.newPartner().legId()), Optional.empty(),
          nextLegNumber, nextAttemptId, Optional.empty(), answeredAt, newHeld, chain, failures, ended);
    }
    if (event instanceof CallEvent.TransferFailed e) {
      // Who holds whom is the parties' business: a failed transfer leaves it as it was.
      return copy(phase, legs, connected, Optional.empty(), nextLegNumber, nextAttemptId, Optional.empty(),
          answeredAt, held, transferChain, failures, ended);
    }
    if (event instanceof CallEvent.LegLeft e) {
      CallLeg leg = legs.get(e.legId());
      return copy(phase, replaceLeg(leg.withStatus(leg.status() == CallLeg.Status.ANSWERED
              ? CallLeg.Status.ENDED : CallLeg.Status.FAILED)), connected, attempt, nextLegNumber, nextAttemptId,
          transfer, answeredAt, held, transferChain, failures, ended);
    }
    if (event instanceof CallEvent.LegHandedOver e) {
      Map<String, String> moved = new LinkedHashMap<>(handedOver);
      moved.put(e.legId(), e.toCallId());
      CallState given = copy(phase, replaceLeg(legs.get(e.legId()).withStatus(CallLeg.Status.HANDED_OVER)),
          connected, attempt, nextLegNumber, nextAttemptId, transfer, answeredAt, held, transferChain, failures, ended);
      return new CallState(given.phase, callId, tenantId, direction, caller, callerUserId, callerLegId, dialled, offer,
          startedAt, maxDurationAt, given.legs, connected, attempt, nextLegNumber, nextAttemptId, nextTransferId,
          answeredAt, held, transfer, transferChain, callerAlerted, earlyMediaLegId, failures, ended, moved);
    }
    CallEvent.CallEnded e = (CallEvent.CallEnded) event;
    Map<String, CallLeg> newLegs = new LinkedHashMap<>();
    legs.values().forEach(l -> newLegs.put(l.legId(), !l.isLive() ? l
        : l.withStatus(l.status() == CallLeg.Status.ANSWERED ? CallLeg.Status.ENDED : CallLeg.Status.FAILED)));
    return copy(Phase.ENDED, newLegs, connected, Optional.empty(), nextLegNumber, nextAttemptId, Optional.empty(),
        answeredAt, Set.of(), transferChain, failures, Optional.of(e.record()));
  }

  private Map<String, CallLeg> replaceLeg(CallLeg leg) {
    Map<String, CallLeg> newLegs = new LinkedHashMap<>(legs);
    newLegs.put(leg.legId(), leg);
    return newLegs;
  }

  private CallState withAttempt(UnaryOperator<Attempt> change) {
    return copy(phase, legs, connected, attempt.map(change), nextLegNumber, nextAttemptId, transfer, answeredAt,
        held, transferChain, failures, ended);
  }

  private CallState copy(Phase newPhase, Map<String, CallLeg> newLegs, List<String> newConnected,
                         Optional<Attempt> newAttempt, int legNumber, int attemptId, Optional<Transfer> newTransfer,
                         Optional<Instant> newAnsweredAt, Set<String> newHeld, List<String> newTransferChain,
                         Map<String, HangupCause> newFailures, Optional<CallRecord> newEnded) {
    return new CallState(newPhase, callId, tenantId, direction, caller, callerUserId, callerLegId, dialled, offer,
        startedAt, maxDurationAt, newLegs, newConnected, newAttempt, legNumber, attemptId, nextTransferId,
        newAnsweredAt, newHeld, newTransfer, newTransferChain, callerAlerted, earlyMediaLegId, newFailures,
        newEnded, handedOver);
  }

  private CallState withoutEarlyMedia() {
    return new CallState(phase, callId, tenantId, direction, caller, callerUserId, callerLegId, dialled, offer,
        startedAt, maxDurationAt, legs, connected, attempt, nextLegNumber, nextAttemptId, nextTransferId, answeredAt,
        held, transfer, transferChain, callerAlerted, Optional.empty(), failures, ended, handedOver);
  }

  /** The record this call would end with now, for {@code cause}. */
  CallRecord record(HangupCause cause, Instant endedAt) {
    Party callee = connected.size() == 2 ? legs.get(connected.get(1)).party()
        : attempt.map(a -> Party.of(a.target())).orElse(Party.of(dialled));
    List<CallRecord.LegSummary> summaries = legs.values().stream()
        .map(l -> new CallRecord.LegSummary(l.legId(), l.role(), l.party().address(), finalStatus(l)))
        .toList();
    // Answered calls end normally however the last party left; an unanswered call ended without a
    // cause of its own (an administrator's hangup) counts as cancelled.
    HangupCause recorded = answeredAt.isPresent() && cause == HangupCause.CANCELLED ? HangupCause.NORMAL
        : answeredAt.isEmpty() && cause == HangupCause.NORMAL ? HangupCause.CANCELLED : cause;
    return new CallRecord(callId, tenantId, direction, caller, callee, dialled, startedAt, answeredAt, endedAt,
        recorded, CallRecord.Disposition.of(answeredAt.isPresent(), recorded), transferChain, summaries);
  }

  private static CallLeg.Status finalStatus(CallLeg leg) {
    if (!leg.isLive()) {
      return leg.status();
    }
    return leg.status() == CallLeg.Status.ANSWERED ? CallLeg.Status.ENDED : CallLeg.Status.FAILED;
  }
}
