package io.switchboard.load;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.switchboard.call.Call;
import io.switchboard.call.CallCommand;
import io.switchboard.call.CallEvent;
import io.switchboard.call.CallMetrics;
import io.switchboard.call.CallRouting;
import io.switchboard.call.CallSettings;
import io.switchboard.call.Direction;
import io.switchboard.call.HangupCause;
import io.switchboard.call.RoutingOutcome;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.config.Ports;
import io.switchboard.config.SettingsReader;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.persistence.cassandra.CassandraPekkoConfig;
import io.switchboard.persistence.cassandra.CassandraSchema;
import io.switchboard.persistence.cassandra.CassandraSettings;
import io.switchboard.persistence.cassandra.EmbeddedCassandra;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Call setups per second through the Call entity alone: in-memory legs (an edge actor that rings,
 * answers and hangs up at once), routing answered from memory, and a real Cassandra journal (an
 * embedded one started here). Every call forks to two devices, is answered by one and hung up, as
 * a real inbound call would be. Printed beside it: the reference, the same Cassandra journal
 * driven by a bare event-sourced entity doing the same number of writes per "call" one event at
 * a time, and our ratio to it. Bounded in count and time; never a pass/fail gate.
 *
 * <p>Usage: {@code load-tests/call-setup-benchmark [calls] [concurrency] [seconds]}.
 */
public final class CallSetupBenchmark {
  private CallSetupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    Duration limit = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 120);
    String classpath = System.getProperty("switchboard.cassandra.embedded.classpath-file",
        "persistence/cassandra-server/target/cassandra.classpath");
    Path dir = Path.of("load-tests", "target", "bench-cassandra-" + System.nanoTime()).toAbsolutePath();
    say("Starting an embedded Cassandra in " + dir);
    EmbeddedCassandra cassandra = EmbeddedCassandra.start(new CassandraSettings.Embedded(dir, "127.0.0.1",
        Ports.freePort(), Ports.freePort(), "768m", Duration.ofSeconds(180), Path.of(classpath).toAbsolutePath()),
        line -> { });
    ActorSystem<SpawnProtocol.Command> system = null;
    try {
      CassandraSettings settings = CassandraSettings.read(new SettingsReader(SwitchboardConfig.load()), dir);
      Config config = ConfigFactory.parseString(String.join("\n",
              "pekko.actor.provider = cluster",
              "pekko.remote.artery.canonical.hostname = 127.0.0.1",
              "pekko.remote.artery.canonical.port = " + Ports.freePort(),
              "pekko.loglevel = WARNING",
              "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
              "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\""))
          .withFallback(CassandraPekkoConfig.of(settings, List.of(cassandra.contactPointString())))
          .withFallback(SwitchboardConfig.load());
      system = ActorSystem.create(SpawnProtocol.create(), "bench", config);
      Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
      CassandraSchema.createIfNotExists(system, settings, Duration.ofSeconds(60)).toCompletableFuture()
          .get(90, TimeUnit.SECONDS);

      say("Warming up (" + Math.min(500, calls) + " calls)");
      runCalls(system, Math.min(500, calls), concurrency, limit, "warm");
      long writesBefore = CallMetrics.journalWrites();
      long eventsBefore = CallMetrics.eventsPersisted();
      say("Measuring " + calls + " call setups, " + concurrency + " in flight");
      Result ours = runCalls(system, calls, concurrency, limit, "call");
      double writesPerCall = (CallMetrics.journalWrites() - writesBefore) / (double) ours.done();
      double eventsPerCall = (CallMetrics.eventsPersisted() - eventsBefore) / (double) ours.done();

      int baselineWrites = (int) Math.round(writesPerCall);
      say("Reference: a bare event-sourced entity, " + baselineWrites + " sequential one-event writes per unit");
      runBaseline(system, Math.min(500, calls), concurrency, baselineWrites, false, limit, "warm-ref");
      Result reference = runBaseline(system, calls, concurrency, baselineWrites, false, limit, "ref");
      say("The same, with every event tagged as Call events are (for projections)");
      Result tagged = runBaseline(system, calls, concurrency, baselineWrites, true, limit, "ref-tagged");

      double ourRate = ours.perSecond();
      double refRate = reference.perSecond();
      System.out.println("call setup benchmark (Call entity alone, in-memory legs, embedded Cassandra journal)");
      System.out.printf(Locale.ROOT, "  calls completed              %d in %.1f s (limit %d calls, %d s)%n",
          ours.done(), ours.seconds(), calls, limit.toSeconds());
      System.out.printf(Locale.ROOT, "  call setups per second       %.1f%n", ourRate);
      System.out.printf(Locale.ROOT, "  events per call              %.2f%n", eventsPerCall);
      System.out.printf(Locale.ROOT, "  journal writes per call      %.2f%n", writesPerCall);
      System.out.printf(Locale.ROOT, "  journal writes per second    %.1f%n", ourRate * writesPerCall);
      System.out.printf(Locale.ROOT, "  events per second            %.1f%n", ourRate * eventsPerCall);
      System.out.printf(Locale.ROOT, "  reference: bare journal, %d writes/unit: %.1f units/s (%.1f writes/s)%n",
          baselineWrites, refRate, refRate * baselineWrites);
      System.out.printf(Locale.ROOT, "  ratio (ours / reference)     %.2f%n", ourRate / refRate);
      System.out.printf(Locale.ROOT, "  bare journal, events tagged: %.1f units/s; ratio ours / tagged %.2f%n",
          tagged.perSecond(), ourRate / tagged.perSecond());
    } finally {
      if (system != null) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      cassandra.stop();
    }
  }

  record Result(int done, double seconds) {
    double perSecond() {
      return done / seconds;
    }
  }

  private static void say(String line) {
    System.err.println("[bench] " + line);
  }

  // --- the Call run ---

  /** The in-memory edge: devices ring and the first one answers at once; the caller hangs up on answer. */
  static Behavior<LegCommand> edge(Map<String, ActorRef<CallCommand>> calls,
                                   Map<String, CompletableFuture<Done>> done) {
    return Behaviors.setup(ctx -> Behaviors.receiveMessage(command -> {
      ActorRef<CallCommand> call = calls.get(command.callId());
      if (call == null) {
        return Behaviors.same();
      }
      ActorRef<org.apache.pekko.pattern.StatusReply<Done>> ignore = ctx.getSystem().ignoreRef();
      if (command instanceof LegCommand.OfferLeg offer && offer.legId().endsWith("/1")) {
        call.tell(new CallCommand.LegAlerting(offer.legId(), Optional.empty(), ignore));
        call.tell(new CallCommand.LegAnswered(offer.legId(), "v=0 answer", ignore));
      } else if (command instanceof LegCommand.AnswerLeg answer) {
        call.tell(new CallCommand.LegHungUp(answer.legId(), HangupCause.NORMAL, ignore));
      } else if (command instanceof LegCommand.HangupLeg hangup && hangup.legId().endsWith("/1")) {
        calls.remove(hangup.callId());
        Optional.ofNullable(done.remove(hangup.callId())).ifPresent(f -> f.complete(Done.getInstance()));
      }
      return Behaviors.same();
    }));
  }

  private static <T> ActorRef<T> spawn(ActorSystem<SpawnProtocol.Command> system, Behavior<T> behavior,
                                       String name) throws Exception {
    CompletionStage<ActorRef<T>> ref = AskPattern.ask(system,
        replyTo -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), replyTo), Duration.ofSeconds(10),
        system.scheduler());
    return ref.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Result runCalls(ActorSystem<SpawnProtocol.Command> system, int count, int concurrency,
                                 Duration limit, String prefix) throws Exception {
    Map<String, ActorRef<CallCommand>> calls = new ConcurrentHashMap<>();
    Map<String, CompletableFuture<Done>> done = new ConcurrentHashMap<>();
    ActorRef<LegCommand> edge = spawn(system, edge(calls, done), prefix + "-edge");
    CallSettings settings = new CallSettings(Duration.ofSeconds(30), Duration.ofHours(4), 5);
    CallRouting routing = new CallRouting() {
      @Override
      public CompletionStage<RoutingOutcome> route(String tenantId, String callId, String dialled, Instant at) {
        Instant expires = at.plusSeconds(3600);
        return CompletableFuture.completedFuture(new RoutingOutcome.Ring(dialled, Optional.of("bob"),
            List.of(new RoutingOutcome.RingStep(List.of(
                new RoutingOutcome.RingTarget(Optional.of("bob"), Party.of(dialled),
                    new Contact("sip:desk@127.0.0.1", "desk", edge, expires)),
                new RoutingOutcome.RingTarget(Optional.of("bob"), Party.of(dialled),
                    new Contact("sip:mobile@127.0.0.1", "mobile", edge, expires))), Duration.ofSeconds(30))),
            Optional.empty(), Optional.empty()));
      }

      @Override
      public void callActivity(String tenantId, String userId, String callId, boolean active) {}
    };
    return runBounded(count, concurrency, limit, n -> {
      String callId = prefix + "-" + n;
      CompletableFuture<Done> finishedCall = new CompletableFuture<>();
      done.put(callId, finishedCall);
      try {
        ActorRef<CallCommand> call = spawn(system, Call.create(callId, settings, routing, id -> null,
            Clock.systemUTC()), callId);
        calls.put(callId, call);
        call.tell(new CallCommand.Originate("bench", callId + "-caller", Party.of("100"), Optional.empty(), edge,
            "200", Direction.INTERNAL, Optional.of("v=0 offer"), system.ignoreRef()));
      } catch (Exception e) {
        finishedCall.completeExceptionally(e);
      }
      return finishedCall;
    });
  }

  /**
   * Runs {@code count} units, {@code concurrency} at a time, each started when one finishes, and
   * stops starting new ones at the time limit.
   */
  private static Result runBounded(int count, int concurrency, Duration limit,
                                   java.util.function.IntFunction<CompletionStage<Done>> unit) throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    long deadline = System.nanoTime() + limit.toNanos();
    long t0 = System.nanoTime();
    CompletableFuture<Done> all = new CompletableFuture<>();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      int n = started.incrementAndGet();
      if (n > count || System.nanoTime() > deadline) {
        if (System.nanoTime() > deadline) {
          all.complete(Done.getInstance());
        }
        return;
      }
      unit.apply(n).whenComplete((d, e) -> {
        if (finished.incrementAndGet() >= count) {
          all.complete(Done.getInstance());
        }
        next[0].run();
      });
    };
    for (int i = 0; i < concurrency; i++) {
      next[0].run();
    }
    all.get(limit.toSeconds() + 30, TimeUnit.SECONDS);
    return new Result(Math.min(finished.get(), count), (System.nanoTime() - t0) / 1e9);
  }

  // --- the reference ---

  record Write(ActorRef<Done> replyTo) {}

  /** The least an entity can do with the journal: persist one event per command, then reply. */
  static Behavior<Write> bareEntity(String id, boolean tagged) {
    return new EventSourcedBehavior<Write, CallEvent, Integer>(PersistenceId.ofUniqueId("bench-ref|" + id)) {
      @Override
      public java.util.Set<String> tagsFor(CallEvent event) {
        // Tagged like Call events (one of four slices), which costs a tag-view write per event.
        return tagged ? java.util.Set.of("bench-" + Math.floorMod(id.hashCode(), 4)) : java.util.Set.of();
      }

      @Override
      public Integer emptyState() {
        return 0;
      }

      @Override
      public CommandHandler<Write, CallEvent, Integer> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onCommand(Write.class, (state, w) ->
            Effect().persist(new CallEvent.HoldChanged("leg", state % 2 == 0)).thenRun(s -> w.replyTo()
                .tell(Done.getInstance()))).build();
      }

      @Override
      public EventHandler<Integer, CallEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> state + 1);
      }
    };
  }

  private static Result runBaseline(ActorSystem<SpawnProtocol.Command> system, int count, int concurrency,
                                    int writesPerUnit, boolean tagged, Duration limit, String prefix)
      throws Exception {
    return runBounded(count, concurrency, limit, n -> {
      try {
        ActorRef<Write> entity = spawn(system, bareEntity(prefix + "-" + n, tagged), prefix + "-" + n);
        CompletionStage<Done> writes = CompletableFuture.completedFuture(Done.getInstance());
        for (int w = 0; w < writesPerUnit; w++) {
          writes = writes.thenCompose(d -> AskPattern.ask(entity, Write::new, Duration.ofSeconds(10),
              system.scheduler()));
        }
        return writes;
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    });
  }
}
