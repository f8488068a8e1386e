package io.switchboard.persistence.serialization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** Every codec on the classpath, indexed by type and by manifest; duplicates are a start-up error. */
public final class ProtoCodecs {
  private final Map<Class<?>, ProtoCodec<?, ?>> byType = new HashMap<>();
  private final Map<String, ProtoCodec<?, ?>> byManifest = new HashMap<>();

  public ProtoCodecs(Collection<ProtoCodec<?, ?>> codecs) {
    List<String> problems = new ArrayList<>();
    for (ProtoCodec<?, ?> codec : codecs) {
      ProtoCodec<?, ?> sameType = byType.putIfAbsent(codec.type(), codec);
      if (sameType != null) {
        problems.add("two codecs for " + codec.type().getName());
      }
      ProtoCodec<?, ?> sameManifest = byManifest.putIfAbsent(codec.manifest(), codec);
      if (sameManifest != null) {
        problems.add("manifest '" + codec.manifest() + "' used by both " + sameManifest.type().getName()
            + " and " + codec.type().getName());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Protobuf codec registry is inconsistent: " + String.join("; ", problems));
    }
  }

  public static ProtoCodecs load(ClassLoader classLoader) {
    List<ProtoCodec<?, ?>> all = new ArrayList<>();
    for (CodecRegistry registry : ServiceLoader.load(CodecRegistry.class, classLoader)) {
      all.addAll(registry.codecs());
    }
    return new ProtoCodecs(all);
  }

  public Optional<ProtoCodec<?, ?>> forType(Class<?> type) {
    return Optional.ofNullable(byType.get(type));
  }

  public Optional<ProtoCodec<?, ?>> forManifest(String manifest) {
    return Optional.ofNullable(byManifest.get(manifest));
  }

  public Collection<ProtoCodec<?, ?>> all() {
    return List.copyOf(byType.values());
  }
}
