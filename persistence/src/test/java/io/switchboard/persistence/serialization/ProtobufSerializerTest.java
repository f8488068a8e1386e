package io.switchboard.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.persistence.installation.Installation;
import io.switchboard.persistence.installation.proto.InstallationCreated;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProtobufSerializerTest {
  private static ActorTestKit kit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("Serialization", ConfigFactory.parseString(
        "pekko.actor.provider = local\npekko.remote.artery.enabled = off").withFallback(SwitchboardConfig.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void installationMessagesEventsAndSnapshotRoundTripThroughProtobuf() {
    TestProbe<StatusReply<Installation.Info>> probe = kit.createTestProbe();
    Instant t = Instant.parse("2026-11-24T12:34:56.789Z");
    List<Object> values = List.of(
        new Installation.InstallationCreated("id-1", t),
        new Installation.NodeStartRecorded("s1", "pekko://x@127.0.0.1:1", List.of("core", "api"), t),
        new Installation.State(Optional.of("id-1"), t, 3, "pekko://x@127.0.0.1:1", t, List.of("s0", "s1")),
        new Installation.State(Optional.empty(), Instant.EPOCH, 0, "", Instant.EPOCH, List.of()),
        new Installation.RecordNodeStart("s2", "pekko://x@127.0.0.1:1", List.of("edge"), t, probe.ref()),
        new Installation.GetInstallation(probe.ref()),
        new Installation.Info("id-1", t, 7, "pekko://x@127.0.0.1:1", t));
    for (Object value : values) {
      Serializer serializer = serialization.findSerializerFor(value);
      assertEquals(ProtobufSerializer.IDENTIFIER, serializer.identifier(), value.getClass() + " uses our serializer");
      byte[] bytes = serialization.serialize(value).get();
      String manifest = Serializers.manifestFor(serializer, value);
      Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
      assertEquals(value, back);
    }
  }

  @Test
  void unknownManifestIsNotSerializableRatherThanACrash() {
    ProtobufSerializer serializer = (ProtobufSerializer) serialization.serializerByIdentity()
        .apply(ProtobufSerializer.IDENTIFIER);
    assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[0], "no.such.Manifest"));
  }

  @Test
  void malformedBytesAreNotSerializableRatherThanAGarbledValue() {
    ProtobufSerializer serializer = (ProtobufSerializer) serialization.serializerByIdentity()
        .apply(ProtobufSerializer.IDENTIFIER);
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
    assertThrows(NotSerializableException.class,
        () -> serializer.fromBinary(garbage, "installation.InstallationCreated"));
  }

  @Test
  void javaSerializationIsOff() {
    record Plain(String s) implements Serializable {}
    assertTrue(serialization.serialize(new Plain("x")).isFailure(), "a java.io.Serializable must not be serialized");
  }

  @Test
  void aManifestUsedTwiceIsRefusedAtStart() {
    ProtoCodec<?, ?> one = ProtoCodec.of(Installation.InstallationCreated.class, "dup", InstallationCreated.parser(),
        e -> InstallationCreated.getDefaultInstance(), p -> new Installation.InstallationCreated("", Instant.EPOCH));
    ProtoCodec<?, ?> two = ProtoCodec.of(Installation.GetInstallation.class, "dup", InstallationCreated.parser(),
        e -> InstallationCreated.getDefaultInstance(), p -> new Installation.GetInstallation(null));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ProtoCodecs(List.of(one, two)));
    assertTrue(e.getMessage().contains("manifest 'dup'"), e.getMessage());
  }

  @Test
  void aCodecForATypeWithoutTheMarkerIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ProtoCodec.of(String.class, "s", InstallationCreated.parser(),
        s -> InstallationCreated.getDefaultInstance(), p -> ""));
  }
}
