package io.switchboard.persistence.serialization;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The one Pekko serializer for every {@link ProtobufSerializable}: cluster messages, persisted
 * events and snapshots. The manifest selects the codec; unknown manifests raise
 * {@link NotSerializableException}, which Pekko treats as "drop and log" for remote messages
 * (a node newer than us) instead of failing the connection.
 */
public final class ProtobufSerializer extends SerializerWithStringManifest {
  /** Registered in reference.conf; never change it once events are stored. */
  public static final int IDENTIFIER = 5060;

  private final ExtendedActorSystem system;
  private final ProtoCodecs codecs;
  private volatile SerializationContext context;

  public ProtobufSerializer(ExtendedActorSystem system) {
    this.system = system;
    this.codecs = ProtoCodecs.load(system.dynamicAccess().classLoader());
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return codecFor(o).manifest();
  }

  @Override
  public byte[] toBinary(Object o) {
    return codecFor(o).encode(o, context());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    ProtoCodec<?, ?> codec = codecs.forManifest(manifest)
        .orElseThrow(() -> new NotSerializableException("No Protobuf codec for manifest '" + manifest + "'"));
    try {
      return codec.decode(bytes, context());
    } catch (InvalidProtocolBufferException e) {
      NotSerializableException failure = new NotSerializableException(
          "Malformed Protobuf payload for manifest '" + manifest + "': " + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }

  private ProtoCodec<?, ?> codecFor(Object o) {
    return codecs.forType(o.getClass()).orElseThrow(() -> new IllegalArgumentException(
        "No Protobuf codec for " + o.getClass().getName() + ": add one to its module's CodecRegistry"));
  }

  // Resolved lazily: the typed ActorRefResolver needs a fully started system, serializers are created earlier.
  private SerializationContext context() {
    SerializationContext ctx = context;
    if (ctx == null) {
      ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
      ctx = new SerializationContext() {
        @Override
        public String serializeRef(ActorRef<?> ref) {
          return resolver.toSerializationFormat(ref);
        }

        @Override
        public <T> ActorRef<T> resolveRef(String serialized) {
          return resolver.resolveActorRef(serialized);
        }
      };
      context = ctx;
    }
    return ctx;
  }
}
