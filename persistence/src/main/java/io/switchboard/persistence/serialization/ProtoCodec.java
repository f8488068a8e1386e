package io.switchboard.persistence.serialization;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Maps one Java type to its Protobuf message and back. The manifest is written next to every
 * stored event, so it must never change or be reused for another type once released.
 *
 * @param <T> the domain type (a record implementing {@link ProtobufSerializable})
 * @param <M> the generated Protobuf message
 */
public record ProtoCodec<T, M extends Message>(
    Class<T> type,
    String manifest,
    Parser<M> parser,
    BiFunction<T, SerializationContext, M> encoder,
    BiFunction<M, SerializationContext, T> decoder) {

  public ProtoCodec {
    if (!ProtobufSerializable.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(type.getName() + " must implement ProtobufSerializable to be routed to its codec");
    }
    if (manifest.isBlank()) {
      throw new IllegalArgumentException("empty manifest for " + type.getName());
    }
  }

  /** A codec whose mapping needs the context (it carries actor references). */
  public static <T, M extends Message> ProtoCodec<T, M> withContext(
      Class<T> type, String manifest, Parser<M> parser,
      BiFunction<T, SerializationContext, M> encoder, BiFunction<M, SerializationContext, T> decoder) {
    return new ProtoCodec<>(type, manifest, parser, encoder, decoder);
  }

  /** A codec for plain data. */
  public static <T, M extends Message> ProtoCodec<T, M> of(
      Class<T> type, String manifest, Parser<M> parser, Function<T, M> encoder, Function<M, T> decoder) {
    return new ProtoCodec<>(type, manifest, parser, (t, ctx) -> encoder.apply(t), (m, ctx) -> decoder.apply(m));
  }

  public byte[] encode(Object value, SerializationContext ctx) {
    return encoder.apply(type.cast(value), ctx).toByteArray();
  }

  public T decode(byte[] bytes, SerializationContext ctx) throws InvalidProtocolBufferException {
    return decoder.apply(parser.parseFrom(bytes), ctx);
  }
}
