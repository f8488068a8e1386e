package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.persistence.serialization.ProtoCodec;
import io.switchboard.persistence.serialization.ProtoCodecs;
import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when a type that crosses the cluster or is persisted has no Protobuf codec. It scans every
 * Switchboard class on the classpath (all modules are on cluster-node's), so a new command, event,
 * reply or snapshot state in any module is checked without anyone listing it here.
 */
class ProtobufBindingTest {

  @Test
  void everySerializableTypeOnTheClasspathHasACodec() throws Exception {
    ProtoCodecs codecs = ProtoCodecs.load(getClass().getClassLoader());
    List<Class<?>> serializable = new ArrayList<>();
    for (String name : switchboardClassNames()) {
      Class<?> type = Class.forName(name, false, getClass().getClassLoader());
      if (ProtobufSerializable.class.isAssignableFrom(type) && !type.isInterface()
          && !Modifier.isAbstract(type.getModifiers())) {
        serializable.add(type);
      }
    }
    // The scan must find the known protocol, or it proves nothing.
    assertTrue(serializable.contains(io.switchboard.persistence.installation.Installation.RecordNodeStart.class),
        "classpath scan found " + serializable);

    List<String> missing = serializable.stream().filter(t -> codecs.forType(t).isEmpty())
        .map(Class::getName).sorted().toList();
    assertEquals(List.of(), missing, "types marked ProtobufSerializable without a codec in any CodecRegistry");

    // And no codec is dead: each one's type is on the classpath and routed to our serializer.
    for (ProtoCodec<?, ?> codec : codecs.all()) {
      assertTrue(serializable.contains(codec.type()), "codec for a type the scan did not find: " + codec.type());
    }
  }

  @Test
  void everySealedProtocolIsFullyMarked() throws Exception {
    List<String> unmarked = new ArrayList<>();
    for (String name : switchboardClassNames()) {
      Class<?> type = Class.forName(name, false, getClass().getClassLoader());
      if (type.isSealed() && ProtobufSerializable.class.isAssignableFrom(type)) {
        for (Class<?> permitted : type.getPermittedSubclasses()) {
          if (!ProtobufSerializable.class.isAssignableFrom(permitted)) {
            unmarked.add(permitted.getName());
          }
        }
      }
    }
    assertEquals(List.of(), unmarked);
  }

  /**
   * Every event-sourced behaviour's command, event and state types are marked (a type that forgot
   * the marker would otherwise escape the scan above and fail only at run time).
   */
  @Test
  void everyEventSourcedBehaviourSpeaksProtobuf() throws Exception {
    List<String> unmarked = new ArrayList<>();
    int behaviours = 0;
    for (String name : switchboardClassNames()) {
      Class<?> type = Class.forName(name, false, getClass().getClassLoader());
      if (!org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior.class.isAssignableFrom(type)) {
        continue;
      }
      behaviours++;
      java.lang.reflect.Type parent = type.getGenericSuperclass();
      while (parent instanceof Class<?> c && c != Object.class) {
        parent = c.getGenericSuperclass();
      }
      if (parent instanceof java.lang.reflect.ParameterizedType p) {
        for (java.lang.reflect.Type argument : p.getActualTypeArguments()) {
          if (argument instanceof Class<?> c && !ProtobufSerializable.class.isAssignableFrom(c)) {
            unmarked.add(type.getSimpleName() + ": " + c.getName());
          }
        }
      }
    }
    assertTrue(behaviours > 0, "the scan found no event-sourced behaviour");
    assertEquals(List.of(), unmarked, "command, event and state types must be ProtobufSerializable");
  }

  @Test
  void javaSerializationIsOffAndTheBindingIsRegistered() {
    Config config = SwitchboardConfig.load();
    assertFalse(config.getBoolean("pekko.actor.allow-java-serialization"));
    assertEquals("switchboard-proto", config.getString(
        "pekko.actor.serialization-bindings.\"io.switchboard.persistence.serialization.ProtobufSerializable\""));
    assertEquals("io.switchboard.persistence.serialization.ProtobufSerializer",
        config.getString("pekko.actor.serializers.switchboard-proto"));
  }

  /** Every class under io/switchboard in the classpath's directories and jars, minus generated Protobuf code. */
  private static TreeSet<String> switchboardClassNames() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path root = path.resolve("io/switchboard");
        if (Files.isDirectory(root)) {
          try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".class"))
                .forEach(f -> names.add(toClassName(path.relativize(f).toString())));
          }
        }
      } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
        try (JarFile jar = new JarFile(path.toFile())) {
          Enumeration<JarEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String n = entries.nextElement().getName();
            if (n.startsWith("io/switchboard/") && n.endsWith(".class")) {
              names.add(toClassName(n));
            }
          }
        }
      }
    }
    names.removeIf(n -> n.contains(".proto.") || n.endsWith("Test") || n.contains("Test$"));
    return names;
  }

  private static String toClassName(String relative) {
    return relative.substring(0, relative.length() - ".class".length()).replace(File.separatorChar, '.')
        .replace('/', '.');
  }
}
