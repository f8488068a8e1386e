package io.switchboard.persistence.serialization;

import org.apache.pekko.actor.typed.ActorRef;

/** What a codec may need beyond the message itself: turning actor references into text and back. */
public interface SerializationContext {
  String serializeRef(ActorRef<?> ref);

  <T> ActorRef<T> resolveRef(String serialized);
}
