package io.switchboard.persistence.serialization;

/**
 * Marks a type that crosses the cluster or is persisted. Every such type has a {@link ProtoCodec}
 * in some module's {@link CodecRegistry}; the Pekko serialization binding for this interface routes
 * it to {@link ProtobufSerializer}. Java serialization is off, so a type without a codec fails loudly.
 */
public interface ProtobufSerializable {}
