package io.switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.switchboard.call.directory.Did;
import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.NumberTarget;
import io.switchboard.call.directory.RingGroup;
import io.switchboard.call.directory.UserEntry;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.call.routing.RingStrategy;
import io.switchboard.call.user.Forwarding;
import io.switchboard.call.user.Presence;
import io.switchboard.call.user.User;
import io.switchboard.config.SettingsReader;
import io.switchboard.persistence.testkit.TestNodeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routing over the real Directory and User entities (sharded, on a real Cassandra): what a Call
 * is told to ring for users, their devices and rules, ring groups and numbers.
 */
class ShardedCallRoutingTest {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static ActorTestKit kit;
  static ActorSystem<?> system;
  static ShardedCallRouting routing;
  static ActorRef<LegCommand> edge;
  static final String TENANT = "routing-" + UUID.randomUUID().toString().substring(0, 8);
  static final Instant EXPIRES = Instant.now().plus(Duration.ofHours(1));

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create("ShardedCallRoutingTest", ConfigFactory.parseString("pekko.cluster.roles = [core]")
        .withFallback(TestNodeConfig.node(0)));
    system = kit.system();
    TestNodeConfig.ensureSchema(system);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      assertEquals(MemberStatus.up(), cluster.selfMember().status());
      return null;
    });
    CallActors.init(system, SettingsReader.readValidated(system.settings().config(), CallSettings::read));
    routing = new ShardedCallRouting(system);
    edge = kit.createTestProbe(LegCommand.class).ref();

    directory(r -> new Directory.CreateTenant("Routing", Optional.empty(), Optional.of("44"), Instant.now(), r));
    for (String[] u : new String[][] {{"bob", "200"}, {"eve", "201"}, {"dan", "202"}, {"ann", "203"}}) {
      directory(r -> new Directory.CreateUser(new UserEntry(u[0], u[0], u[1], Optional.empty(), u[0]),
          Optional.empty(), r));
    }
    directory(r -> new Directory.CreateRingGroup(new RingGroup("sales", "Sales", "600", RingStrategy.RING_ALL,
        List.of("bob", "eve", "dan"), Duration.ofSeconds(15)), r));
    directory(r -> new Directory.CreateRingGroup(new RingGroup("support", "Support", "601", RingStrategy.SEQUENTIAL,
        List.of("eve", "bob"), Duration.ofSeconds(10)), r));
    directory(r -> new Directory.CreateDid(new Did("+442071234567", new NumberTarget.ToRingGroup("sales"),
        Optional.empty(), Optional.empty()), r));
    directory(r -> new Directory.CreateDid(new Did("+442071234568", new NumberTarget.ToQueue("q1"),
        Optional.empty(), Optional.empty()), r));

    // bob: a desk and a mobile, rung one after the other, forwarded to 201 when nobody answers.
    register("bob", "desk");
    register("bob", "mobile");
    user("bob", r -> new User.SetRingMode(RingPlan.RingMode.SEQUENTIAL, Optional.of(Duration.ofSeconds(12)), r));
    user("bob", r -> new User.SetForwarding(new Forwarding(Optional.empty(), Optional.empty(),
        Optional.of(new Forwarding.NoAnswer("201", Duration.ofSeconds(20))), Optional.empty()), Set.of("200"), r));
    // eve: one phone. dan: do not disturb, forwarded on busy to 203. ann: no device at all.
    register("eve", "phone");
    register("dan", "phone");
    user("dan", r -> new User.SetPresence(Presence.DO_NOT_DISTURB, r));
    user("dan", r -> new User.SetForwarding(new Forwarding(Optional.empty(), Optional.of("203"), Optional.empty(),
        Optional.empty()), Set.of("202"), r));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static <R> R await(CompletionStage<R> stage) throws Exception {
    return stage.toCompletableFuture().get(40, TimeUnit.SECONDS);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void directory(Function<ActorRef, Directory.Command> command) throws Exception {
    await(Directory.ref(system, TENANT).<Object>askWithStatus(r -> command.apply((ActorRef) r), TIMEOUT));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void user(String userId, Function<ActorRef, User.Command> command) throws Exception {
    await(User.ref(system, TENANT, userId).<Object>askWithStatus(r -> command.apply((ActorRef) r), TIMEOUT));
  }

  static Contact contact(String userId, String device) {
    return new Contact("sip:" + userId + "-" + device + "@127.0.0.1", device, edge, EXPIRES);
  }

  static void register(String userId, String device) throws Exception {
    user(userId, r -> new User.Register(contact(userId, device), r));
  }

  static RoutingOutcome route(String dialled) throws Exception {
    return await(routing.route(TENANT, "call-" + UUID.randomUUID(), dialled, Instant.now()));
  }

  static RoutingOutcome.RingTarget target(String userId, String extension, String device) {
    return new RoutingOutcome.RingTarget(Optional.of(userId), Party.of(extension), contact(userId, device));
  }

  @Test
  void aUserWithSequentialDevicesAndANoAnswerRule() throws Exception {
    assertEquals(new RoutingOutcome.Ring("200", Optional.of("bob"), List.of(
            new RoutingOutcome.RingStep(List.of(target("bob", "200", "desk")), Duration.ofSeconds(20)),
            new RoutingOutcome.RingStep(List.of(target("bob", "200", "mobile")), Duration.ofSeconds(20))),
            Optional.of("201"), Optional.empty()),
        route("200"));
  }

  @Test
  void doNotDisturbForwardsOnBusyAndNoDeviceIsUnavailable() throws Exception {
    assertEquals(new RoutingOutcome.Forward("dan", "203", RingPlan.ForwardReason.BUSY), route("202"));
    RoutingOutcome ann = route("203");
    assertEquals(HangupCause.UNAVAILABLE, ((RoutingOutcome.Fail) ann).cause());
  }

  @Test
  void ringGroupsRingTheirReachableMembers() throws Exception {
    // Ring all: bob's and eve's devices together; dan (do not disturb) is skipped.
    assertEquals(new RoutingOutcome.Ring("Sales", Optional.empty(), List.of(new RoutingOutcome.RingStep(List.of(
            target("bob", "200", "desk"), target("bob", "200", "mobile"), target("eve", "201", "phone")),
            Duration.ofSeconds(15))), Optional.empty(), Optional.empty()),
        route("600"));
    // Sequential: one member per step, in the group's order.
    assertEquals(new RoutingOutcome.Ring("Support", Optional.empty(), List.of(
            new RoutingOutcome.RingStep(List.of(target("eve", "201", "phone")), Duration.ofSeconds(10)),
            new RoutingOutcome.RingStep(List.of(target("bob", "200", "desk"), target("bob", "200", "mobile")),
                Duration.ofSeconds(10))), Optional.empty(), Optional.empty()),
        route("601"));
    // A DID that points at the ring group, dialled in national form.
    assertEquals(route("600"), route("02071234567"));
  }

  @Test
  void whatCannotBeReachedYetOrAtAllEndsTheCallWithTheRightCause() throws Exception {
    assertEquals(HangupCause.UNAVAILABLE, ((RoutingOutcome.Fail) route("+442071234568")).cause(), "a queue");
    assertEquals(HangupCause.UNAVAILABLE, ((RoutingOutcome.Fail) route("+4930123456789")).cause(), "no trunk");
    assertEquals(HangupCause.NOT_FOUND, ((RoutingOutcome.Fail) route("999")).cause());
    RoutingOutcome unknownTenant = await(routing.route("no-such-tenant-" + UUID.randomUUID(), "c", "200",
        Instant.now()));
    assertEquals(HangupCause.NOT_FOUND, ((RoutingOutcome.Fail) unknownTenant).cause());
  }
}
