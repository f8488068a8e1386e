package io.switchboard.node;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/** Whether this node has finished starting (schema in place, entities registered); feeds {@code /ready}. */
public final class StartupState implements Extension {
  private static final ExtensionId<StartupState> ID = new ExtensionId<>() {
    @Override
    public StartupState createExtension(ActorSystem<?> system) {
      return new StartupState();
    }
  };

  private final AtomicBoolean complete = new AtomicBoolean();

  public static StartupState get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public boolean isComplete() {
    return complete.get();
  }

  void markComplete() {
    complete.set(true);
  }
}
