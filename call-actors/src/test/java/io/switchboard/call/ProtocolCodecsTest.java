package io.switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.call.leg.LegCommand;
import io.switchboard.call.leg.Party;
import io.switchboard.call.media.MediaCommand;
import io.switchboard.call.media.MediaReport;
import io.switchboard.call.routing.Contact;
import io.switchboard.call.routing.Destination;
import io.switchboard.call.routing.RingPlan;
import io.switchboard.call.routing.RingStrategy;
import io.switchboard.config.SwitchboardConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every message of the Leg protocol, the media control protocol and the routing replies survives
 * Protobuf unchanged, and every permitted type of those sealed protocols has a sample here.
 */
class ProtocolCodecsTest {
  static final ActorTestKit kit = ActorTestKit.create("ProtocolCodecsTest", SwitchboardConfig.load());

  @AfterAll
  static void shutDown() {
    kit.shutdownTestKit();
  }

  static List<Object> samples() {
    ActorRef<LegCommand> edge = kit.createTestProbe(LegCommand.class).ref();
    ActorRef<Object> any = kit.createTestProbe().ref();
    @SuppressWarnings({"unchecked", "rawtypes"})
    ActorRef<org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>> ack = (ActorRef) any;
    Contact contact = new Contact("sip:bob@10.0.0.2:5060", "desk", edge, Instant.parse("2026-11-24T11:00:00Z"));
    Party alice = new Party("100", "Alice \"A\" Smith");
    return List.of(
        new LegCommand.OfferLeg("c1", "c1/1", "acme", "sip:bob@10.0.0.2", alice, Party.of("200"), Optional.of("v=0")),
        new LegCommand.OfferLeg("c1", "c1/2", "acme", "sip:bob@10.0.0.3", alice, Party.of("200"), Optional.empty()),
        new LegCommand.AlertLeg("c1", "a", Optional.of("v=0 early")),
        new LegCommand.AnswerLeg("c1", "a", "v=0 answer"),
        new LegCommand.UpdateLegMedia("c1", "a", "v=0 new"),
        new LegCommand.HoldLeg("c1", "a"),
        new LegCommand.ResumeLeg("c1", "a"),
        new LegCommand.HangupLeg("c1", "a", HangupCause.LOOP_DETECTED),
        new LegCommand.SendDtmf("c1", "a", "12#*"),
        new LegCommand.TransferOutcome("c1", "a", false, HangupCause.BUSY),
        new LegCommand.MoveLeg("c1", "a", "c2"),
        new Destination.ToUser("bob", "200"),
        new Destination.ToRingGroup("sales", "Sales", RingStrategy.ROUND_ROBIN,
            List.of(new Destination.ToUser("bob", "200"), new Destination.ToUser("eve", "201")), Duration.ofSeconds(15)),
        new Destination.ToQueue("support"),
        new Destination.ToIvr("main-menu"),
        new Destination.ToExternal("+4930123456"),
        new Destination.NotFound("999"),
        new RingPlan.Ring("bob", List.of(contact), RingPlan.RingMode.SEQUENTIAL, Duration.ofSeconds(20),
            Optional.of("300"), Optional.empty()),
        new RingPlan.Forward("bob", "+4930123456", RingPlan.ForwardReason.UNREACHABLE),
        new RingPlan.Reject("bob", HangupCause.BUSY),
        new MediaCommand.AllocateEndpoint("c1", "a", Optional.of("v=0"), kit.createTestProbe(MediaReport.class).ref(),
            castRef(any)),
        new MediaCommand.EndpointAllocated("e1", "v=0 local"),
        new MediaCommand.Bridge("c1", "e1", "e2", ack),
        new MediaCommand.Unbridge("c1", "e1", "e2", ack),
        new MediaCommand.Play("c1", "e1", Optional.of("welcome"), MediaCommand.Tone.NONE, false, true, ack),
        new MediaCommand.Play("c1", "e1", Optional.empty(), MediaCommand.Tone.MUSIC_ON_HOLD, true, false, ack),
        new MediaCommand.StopPlayback("c1", "e1", ack),
        new MediaCommand.StartRecording("c1", "r1", List.of("e1", "e2"), Duration.ofHours(2), ack),
        new MediaCommand.PauseRecording("c1", "r1", true, ack),
        new MediaCommand.StopRecording("c1", "r1", ack),
        new MediaCommand.Release("c1", "e1", ack),
        new MediaReport.DtmfDetected("c1", "e1", '#', Duration.ofMillis(120)),
        new MediaReport.PlaybackFinished("c1", "e1", true),
        new MediaReport.RecordingCompleted("c1", "e1", "r1", Duration.ofSeconds(61), "ab12"),
        new MediaReport.QualityReport("c1", "e1", 5000, 12, 3.5, 41.0, 4.2),
        new MediaReport.EndpointFailed("c1", "e1", "media node left"));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> ActorRef<T> castRef(ActorRef<Object> ref) {
    return (ActorRef) ref;
  }

  @Test
  void everyMessageRoundTripsThroughProtobuf() throws Exception {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    for (Object sample : samples()) {
      var serializer = serialization.findSerializerFor(sample);
      assertEquals("io.switchboard.persistence.serialization.ProtobufSerializer", serializer.getClass().getName(),
          sample.getClass().getName());
      byte[] bytes = serializer.toBinary(sample);
      Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer,
          sample)).get();
      assertEquals(sample, back);
    }
  }

  @Test
  void everyPermittedTypeHasASample() {
    Set<String> sampled = samples().stream().map(s -> s.getClass().getName()).collect(Collectors.toCollection(
        TreeSet::new));
    Set<String> permitted = new TreeSet<>();
    for (Class<?> sealed : List.of(LegCommand.class, Destination.class, RingPlan.class, MediaCommand.class,
        MediaReport.class)) {
      for (Class<?> type : sealed.getPermittedSubclasses()) {
        permitted.add(type.getName());
      }
    }
    permitted.removeAll(sampled);
    assertEquals(Set.of(), permitted, "types without a sample");
  }
}
