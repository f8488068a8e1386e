package io.switchboard.call.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.switchboard.call.Call;
import io.switchboard.call.CallCommand;
import io.switchboard.call.CallEvent;
import io.switchboard.call.CallRecord;
import io.switchboard.call.CallRouting;
import io.switchboard.call.CallSettings;
import io.switchboard.call.Direction;
import io.switchboard.call.HangupCause;
import io.switchboard.call.RoutingOutcome;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.persistence.cassandra.CassandraSchema;
import io.switchboard.persistence.testkit.TestNodeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls driven through Cluster Sharding on a real Cassandra, their records projected from the
 * journal: one record per call with the right disposition and durations, listings by time range,
 * extension and disposition with paging, tenant isolation, and the event history from the journal.
 */
class CallRecordProjectionTest {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static ActorTestKit kit;
  static CallRecordStore store;
  static TestProbe<LegCommand> edge;
  static final String TENANT = "cdr-" + UUID.randomUUID().toString().substring(0, 8);

  /** Every dialled address reaches one device on the test's edge. */
  static final CallRouting ROUTING = new CallRouting() {
    @Override
    public CompletionStage<RoutingOutcome> route(String tenantId, String callId, String dialled, Instant at) {
      return CompletableFuture.completedFuture(new RoutingOutcome.Ring(dialled, Optional.of("u" + dialled),
          List.of(new RoutingOutcome.RingStep(List.of(new RoutingOutcome.RingTarget(Optional.of("u" + dialled),
              Party.of(dialled), new Contact("sip:" + dialled + "@127.0.0.1", "d", edge.ref(),
                  Instant.now().plusSeconds(3600)))), Duration.ofSeconds(30))), Optional.empty(), Optional.empty()));
    }

    @Override
    public void callActivity(String tenantId, String userId, String callId, boolean active) {}
  };

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create("CallRecordProjectionTest", ConfigFactory.parseString(
            "pekko.cluster.roles = [core, projection]").withFallback(TestNodeConfig.node(0)));
    TestNodeConfig.ensureSchema(kit.system());
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    edge = kit.createTestProbe();
    store = CallRecordStore.create(CassandraSchema.session(kit.system()),
        TestNodeConfig.cassandraSettings().readModelKeyspace()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    Call.init(kit.system(), new CallSettings(Duration.ofSeconds(30), Duration.ofHours(4), 5), ROUTING);
    CallRecordProjection.init(kit.system(), store);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Places a call from 100 to {@code dialled} and lets {@code outcome} happen to it. */
  static String call(String tenant, String dialled, boolean answer) {
    String callId = "c-" + UUID.randomUUID();
    TestProbe<StatusReply<CallCommand.CallInfo>> info = kit.createTestProbe();
    Call.ref(kit.system(), callId).tell(new CallCommand.Originate(tenant, callId + "-caller", Party.of("100"),
        Optional.empty(), edge.ref(), dialled, Direction.INTERNAL, Optional.of("v=0"), info.ref()));
    assertTrue(info.receiveMessage(TIMEOUT).isSuccess());
    LegCommand.OfferLeg offer = edge.expectMessageClass(LegCommand.OfferLeg.class, TIMEOUT);
    TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
    if (answer) {
      Call.ref(kit.system(), callId).tell(new CallCommand.LegAnswered(offer.legId(), "v=0 answer", ack.ref()));
      assertEquals(StatusReply.ack(), ack.receiveMessage(TIMEOUT));
      edge.expectMessageClass(LegCommand.AnswerLeg.class, TIMEOUT);
      Call.ref(kit.system(), callId).tell(new CallCommand.LegHungUp(offer.legId(), HangupCause.NORMAL, ack.ref()));
    } else {
      Call.ref(kit.system(), callId).tell(new CallCommand.LegRejected(offer.legId(), HangupCause.BUSY, ack.ref()));
    }
    assertEquals(StatusReply.ack(), ack.receiveMessage(TIMEOUT));
    edge.expectMessageClass(LegCommand.HangupLeg.class, TIMEOUT);
    return callId;
  }

  static CallRecord awaitRecord(String tenant, String callId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<CallRecord> record = store.get(tenant, callId).toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (record.isPresent()) {
        return record.get();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no call record for " + callId + " within 60 s");
  }

  @Test
  void everyEndedCallGetsOneRecordThatTheApiCanListAndFilter() throws Exception {
    String answered = call(TENANT, "200", true);
    String busy = call(TENANT, "201", false);
    String other = call(TENANT + "-other", "200", true);

    CallRecord a = awaitRecord(TENANT, answered);
    assertEquals(CallRecord.Disposition.ANSWERED, a.disposition());
    assertEquals(HangupCause.NORMAL, a.cause());
    assertEquals(Party.of("200"), a.callee());
    assertTrue(a.answeredAt().isPresent());
    assertEquals(Duration.between(a.answeredAt().get(), a.endedAt()), a.billable());
    assertEquals(2, a.legs().size());
    CallRecord b = awaitRecord(TENANT, busy);
    assertEquals(CallRecord.Disposition.BUSY, b.disposition());
    assertEquals(Optional.empty(), b.answeredAt());
    awaitRecord(TENANT + "-other", other);

    // Another tenant's call is invisible, exactly like an unknown one.
    assertEquals(Optional.empty(), store.get(TENANT, other).toCompletableFuture().get(10, TimeUnit.SECONDS));

    Instant from = Instant.now().minus(Duration.ofHours(1));
    Instant to = Instant.now().plus(Duration.ofMinutes(1));
    CallRecordStore.Page all = list(new CallRecordStore.Query(TENANT, from, to, Optional.empty(), Optional.empty(),
        50, Optional.empty()));
    assertEquals(List.of(busy, answered), all.records().stream().map(CallRecord::callId).toList(), "newest first");
    assertEquals(Optional.empty(), all.next());

    CallRecordStore.Page first = list(new CallRecordStore.Query(TENANT, from, to, Optional.empty(), Optional.empty(),
        1, Optional.empty()));
    assertEquals(List.of(busy), first.records().stream().map(CallRecord::callId).toList());
    assertTrue(first.next().isPresent());
    CallRecordStore.Cursor cursor = CallRecordStore.Cursor.decode(first.next().get().encode()).orElseThrow();
    CallRecordStore.Page second = list(new CallRecordStore.Query(TENANT, from, to, Optional.empty(), Optional.empty(),
        1, Optional.of(cursor)));
    assertEquals(List.of(answered), second.records().stream().map(CallRecord::callId).toList());

    assertEquals(List.of(busy), list(new CallRecordStore.Query(TENANT, from, to, Optional.of("201"),
        Optional.empty(), 50, Optional.empty())).records().stream().map(CallRecord::callId).toList());
    assertEquals(List.of(answered), list(new CallRecordStore.Query(TENANT, from, to, Optional.empty(),
        Optional.of(CallRecord.Disposition.ANSWERED), 50, Optional.empty())).records().stream()
        .map(CallRecord::callId).toList());
    assertEquals(List.of(), list(new CallRecordStore.Query(TENANT, from.minus(Duration.ofDays(3)),
        from.minus(Duration.ofDays(2)), Optional.empty(), Optional.empty(), 50, Optional.empty())).records());

    // The history is the journal, in order, ending with the one CallEnded.
    List<CallHistory.Entry> history = new CallHistory(kit.system()).of(answered).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertEquals(List.of(CallEvent.CallStarted.class, CallEvent.RouteSelected.class,
            CallEvent.RingStepStarted.class, CallEvent.CallAnswered.class, CallEvent.CallEnded.class),
        history.stream().map(e -> e.event().getClass()).toList());
    assertEquals(a, ((CallEvent.CallEnded) history.get(history.size() - 1).event()).record());
  }

  static CallRecordStore.Page list(CallRecordStore.Query q) throws Exception {
    return store.list(q).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
