package io.switchboard.persistence.serialization;

import java.util.List;

/**
 * A module's codecs, found with {@link java.util.ServiceLoader}: each module lists its registry in
 * {@code META-INF/services/io.switchboard.persistence.serialization.CodecRegistry}.
 */
public interface CodecRegistry {
  List<ProtoCodec<?, ?>> codecs();
}
