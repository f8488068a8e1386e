package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.call.Call;
import io.switchboard.call.CallCommand;
import io.switchboard.call.CallEvent;
import io.switchboard.call.CallRecord;
import io.switchboard.call.Direction;
import io.switchboard.call.HangupCause;
import io.switchboard.call.cdr.CallHistory;
import io.switchboard.call.cdr.CallRecordStore;
import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.UserEntry;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.user.User;
import io.switchboard.config.Ports;
import io.switchboard.persistence.cassandra.CassandraSchema;
import io.switchboard.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No call is lost when the node running it dies. Three nodes (two core, one edge that holds the
 * test's legs) share a real Cassandra; a call provisioned through the Directory and User entities
 * rings (or is connected), the core node hosting it crashes without leaving, and the call is
 * restarted on the other core node from its journal, by itself, and completes with exactly one
 * CallEnded and one call detail record.
 */
class CallFailoverTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (Node n : nodes) {
      n.stop().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRingingCallSurvivesTheCrashOfItsNode() throws Exception {
    failover(false);
  }

  @Test
  void aConnectedCallSurvivesTheCrashOfItsNode() throws Exception {
    failover(true);
  }

  private void failover(boolean answerBeforeCrash) throws Exception {
    int seedPort = Ports.freePort();
    List<String> seeds = List.of("pekko://switchboard@127.0.0.1:" + seedPort);
    Map<String, Object> core = Map.of("switchboard.node.roles", List.of("core"));
    nodes.add(TestNodes.start(TestNodes.configuration(seedPort, seeds, TestCassandra.contactPoint(), core)));
    nodes.add(TestNodes.start(TestNodes.configuration(Ports.freePort(), seeds, TestCassandra.contactPoint(), core)));
    Node edge = TestNodes.start(TestNodes.configuration(Ports.freePort(), seeds, TestCassandra.contactPoint(),
        Map.of("switchboard.node.roles", List.of("api", "edge", "projection"))));
    nodes.add(edge);
    for (Node n : nodes) {
      TestNodes.awaitUpMembers(n, 3);
    }

    // Provisioning: tenant, user bob at extension 200 with one registered device on the edge node.
    String tenant = "failover-" + UUID.randomUUID().toString().substring(0, 8);
    var system = edge.system();
    ask(() -> Directory.ref(system, tenant).<Object>askWithStatus(r -> new Directory.CreateTenant("Failover Inc",
        Optional.empty(), Optional.empty(), Instant.now(), (org.apache.pekko.actor.typed.ActorRef) r),
        Duration.ofSeconds(10)));
    ask(() -> Directory.ref(system, tenant).<Object>askWithStatus(r -> new Directory.CreateUser(
        new UserEntry("bob", "Bob", "200", Optional.empty(), "bob"), Optional.empty(),
        (org.apache.pekko.actor.typed.ActorRef) r), Duration.ofSeconds(10)));
    TestProbe<LegCommand> device = TestProbe.create("bobs-desk", system);
    TestProbe<LegCommand> caller = TestProbe.create("alice", system);
    ask(() -> User.ref(system, tenant, "bob").<Object>askWithStatus(r -> new User.Register(
        new Contact("sip:bob@127.0.0.1:5070", "desk", device.getRef(), Instant.now().plusSeconds(3600)),
        (org.apache.pekko.actor.typed.ActorRef) r), Duration.ofSeconds(10)));

    String callId = "failover-call-" + UUID.randomUUID();
    ask(() -> Call.ref(system, callId).<CallCommand.CallInfo>askWithStatus(r -> new CallCommand.Originate(tenant,
        "alice-leg", Party.of("+15550100"), Optional.empty(), caller.getRef(), "200", Direction.INBOUND,
        Optional.of("v=0 offer"), r), Duration.ofSeconds(10)));
    LegCommand.OfferLeg offer = device.expectMessageClass(LegCommand.OfferLeg.class, Duration.ofSeconds(30));
    ack(edge, callId, r -> new CallCommand.LegAlerting(offer.legId(), Optional.empty(), r));
    caller.expectMessage(Duration.ofSeconds(10), new LegCommand.AlertLeg(callId, "alice-leg", Optional.empty()));
    if (answerBeforeCrash) {
      ack(edge, callId, r -> new CallCommand.LegAnswered(offer.legId(), "v=0 answer", r));
      caller.expectMessage(Duration.ofSeconds(10), new LegCommand.AnswerLeg(callId, "alice-leg", "v=0 answer"));
    }

    Node host = hostOf(nodes, callId).orElseThrow(() -> new AssertionError("no node hosts the call"));
    assertTrue(host != edge, "calls live on core nodes");
    nodes.remove(host);
    host.system().terminate(); // a crash: no leave, no hand-off
    host.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    for (Node survivor : nodes) {
      TestNodes.awaitUpMembers(survivor, 2);
    }

    // Remembered: the call comes back on the surviving core node by itself, before any message.
    Node newHost = awaitHost(nodes, callId);
    assertTrue(newHost != edge && nodes.contains(newHost));
    CallCommand.CallInfo resumed = ask(() -> Call.ref(system, callId)
        .<CallCommand.CallInfo>askWithStatus(CallCommand.GetCall::new, Duration.ofSeconds(10)));
    assertEquals(answerBeforeCrash ? "CONNECTED" : "RINGING", resumed.phase().name());

    if (!answerBeforeCrash) {
      ack(edge, callId, r -> new CallCommand.LegAnswered(offer.legId(), "v=0 answer", r));
      caller.expectMessage(Duration.ofSeconds(10), new LegCommand.AnswerLeg(callId, "alice-leg", "v=0 answer"));
    }
    ack(edge, callId, r -> new CallCommand.LegHungUp("alice-leg", HangupCause.NORMAL, r));
    device.fishForMessage(Duration.ofSeconds(10), m -> m.equals(new LegCommand.HangupLeg(callId, offer.legId(),
        HangupCause.NORMAL)) ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());

    // Exactly one CallEnded in the journal, and its record projected.
    List<CallHistory.Entry> history = new CallHistory(system).of(callId).toCompletableFuture().get(30,
        TimeUnit.SECONDS);
    assertEquals(1, history.stream().filter(e -> e.event() instanceof CallEvent.CallEnded).count());
    assertEquals(1, history.stream().filter(e -> e.event() instanceof CallEvent.CallAnswered).count());
    CallRecordStore store = CallRecordStore.create(CassandraSchema.session(system), "switchboard")
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    CallRecord record = awaitRecord(store, tenant, callId);
    assertEquals(CallRecord.Disposition.ANSWERED, record.disposition());
    assertEquals(Party.of("200"), record.callee());
    CallRecordStore.Page all = store.list(new CallRecordStore.Query(tenant, Instant.now().minusSeconds(3600),
        Instant.now().plusSeconds(60), Optional.empty(), Optional.empty(), 50, Optional.empty()))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(List.of(callId), all.records().stream().map(CallRecord::callId).toList(), "exactly one CDR");
  }

  private static CallRecord awaitRecord(CallRecordStore store, String tenant, String callId) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<CallRecord> r = store.get(tenant, callId).toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (r.isPresent()) {
        return r.get();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no call record for " + callId);
  }

  /** A leg report, retried while the shard is being moved (the Call acknowledges each idempotently). */
  private static void ack(Node node, String callId,
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<Done>>,
          CallCommand> report) throws Exception {
    ask(() -> Call.ref(node.system(), callId).<Done>askWithStatus(report::apply, Duration.ofSeconds(5)));
  }

  private static <T> T ask(java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> ask)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        return ask.get().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw new AssertionError("no answer within " + PATIENCE, last);
  }

  private static Node awaitHost(List<Node> candidates, String callId) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Node> host = hostOf(candidates, callId);
      if (host.isPresent()) {
        return host.get();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the call was not restarted by its remembered shard");
  }

  private static Optional<Node> hostOf(List<Node> candidates, String callId) {
    for (Node n : candidates) {
      TestProbe<ShardRegion.CurrentShardRegionState> probe = TestProbe.create(n.system());
      ClusterSharding.get(n.system()).shardState().tell(new GetShardRegionState(Call.ENTITY_KEY, probe.getRef()));
      ShardRegion.CurrentShardRegionState state = probe.receiveMessage(Duration.ofSeconds(10));
      if (state.getShards().stream().anyMatch(s -> s.getEntityIds().contains(callId))) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}
