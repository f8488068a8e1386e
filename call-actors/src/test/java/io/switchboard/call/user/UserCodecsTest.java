package io.switchboard.call.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.switchboard.call.HangupCause;
import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.persistence.serialization.ProtobufSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exhaustiveness by test (Java 17 has no pattern-matching switch): every permitted command and
 * event has a sample here, each sample survives the Protobuf round trip through the real
 * serializer, and every event changes the state without falling through {@code State.apply}.
 */
class UserCodecsTest {
  private static final Instant T = Instant.parse("2026-11-24T12:34:56.789Z");
  private static ActorTestKit kit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("UserCodecs", ConfigFactory.parseString("pekko.actor.provider = local")
        .withFallback(SwitchboardConfig.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void everyCommandEventReplyAndTheStateRoundTripThroughProtobuf() {
    for (Object value : samples()) {
      Serializer serializer = serialization.findSerializerFor(value);
      assertEquals(ProtobufSerializer.IDENTIFIER, serializer.identifier(), value.getClass() + " uses our serializer");
      byte[] bytes = serialization.serialize(value).get();
      Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, value))
          .get();
      assertEquals(value, back);
    }
  }

  @Test
  void everyPermittedCommandAndEventHasASample() {
    Set<String> sampled = samples().stream().map(o -> o.getClass().getName()).collect(Collectors.toSet());
    for (Class<?> protocol : List.of(User.Command.class, User.Event.class)) {
      TreeSet<String> missing = Arrays.stream(protocol.getPermittedSubclasses()).map(Class::getName)
          .filter(n -> !sampled.contains(n)).collect(Collectors.toCollection(TreeSet::new));
      assertEquals(new TreeSet<>(), missing, protocol.getSimpleName() + " without a sample");
    }
  }

  @Test
  void everyEventHasAStateChange() {
    User.State state = User.State.INITIAL.apply(new User.Registered(contact()))
        .apply(new User.CallStarted("call-1", T));
    for (Object sample : samples()) {
      if (sample instanceof User.Event event) {
        state.apply(event); // throws for an event that fell through
      }
    }
  }

  private static Contact contact() {
    ActorRef<LegCommand> edge = kit.<LegCommand>createTestProbe().ref();
    return new Contact("sip:alice@10.0.0.1:5060;transport=tls", "urn:uuid:0001", edge, T);
  }

  private static List<Object> samples() {
    ActorRef<StatusReply<User.Registrations>> registrations = kit.<StatusReply<User.Registrations>>createTestProbe()
        .ref();
    ActorRef<StatusReply<User.PresenceInfo>> presence = kit.<StatusReply<User.PresenceInfo>>createTestProbe().ref();
    ActorRef<StatusReply<User.Settings>> settings = kit.<StatusReply<User.Settings>>createTestProbe().ref();
    ActorRef<StatusReply<Done>> done = kit.<StatusReply<Done>>createTestProbe().ref();
    ActorRef<StatusReply<RingPlan>> plans = kit.<StatusReply<RingPlan>>createTestProbe().ref();
    Forwarding rules = new Forwarding(Optional.of("2001"), Optional.of("voicemail"),
        Optional.of(new Forwarding.NoAnswer("+4930123456", Duration.ofSeconds(20))), Optional.empty());
    Contact contact = contact();
    return List.of(
        new User.Register(contact, registrations),
        new User.Unregister("urn:uuid:0001", registrations),
        new User.UnregisterAll(registrations),
        new User.GetRegistrations(registrations),
        new User.SetPresence(Presence.DO_NOT_DISTURB, presence),
        new User.GetPresence(presence),
        new User.SetCallWaiting(false, settings),
        new User.SetForwarding(rules, Set.of("1001", "+4930999"), settings),
        new User.SetForwarding(Forwarding.NONE, Set.of(), settings),
        new User.SetRingMode(RingPlan.RingMode.SEQUENTIAL, Optional.of(Duration.ofSeconds(15)), settings),
        new User.SetRingMode(RingPlan.RingMode.SIMULTANEOUS, Optional.empty(), settings),
        new User.UpdateSettings(Optional.of(Presence.AWAY), Optional.of(false), Optional.of(RingPlan.RingMode.SEQUENTIAL),
            Optional.of(Duration.ofSeconds(20)), Optional.of(rules), Set.of("1001"), settings),
        new User.UpdateSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Set.of(), settings),
        new User.GetSettings(settings),
        new User.CallActivity("call-1", true, done),
        new User.GetRingPlan("call-1", plans),
        User.PruneLapsed.INSTANCE,
        new User.Registered(contact),
        new User.Unregistered("urn:uuid:0001"),
        new User.AllUnregistered(),
        new User.RegistrationsLapsed(List.of("a", "b")),
        new User.PresenceSet(Presence.AWAY),
        new User.CallWaitingSet(true),
        new User.ForwardingSet(rules),
        new User.RingModeSet(RingPlan.RingMode.SEQUENTIAL, Optional.of(Duration.ofSeconds(45))),
        new User.CallStarted("call-2", T),
        new User.CallEnded("call-1"),
        new User.StaleCallsForgotten(List.of("call-1")),
        User.State.INITIAL,
        new User.State(List.of(contact), Presence.OFFLINE, false, rules, RingPlan.RingMode.SEQUENTIAL,
            Optional.of(Duration.ofSeconds(10)), List.of(new User.ActiveCall("call-1", T)), List.of("call-0")),
        new User.Registrations(List.of(contact)),
        new User.PresenceInfo(Presence.BUSY, Presence.AVAILABLE),
        new User.Settings(Presence.AWAY, false, rules, RingPlan.RingMode.SIMULTANEOUS, Optional.empty(),
            Duration.ofSeconds(20)),
        // The ring plan answer itself is CommonCodecs', checked here because it is what GetRingPlan sends.
        new RingPlan.Reject("alice", HangupCause.BUSY));
  }
}
