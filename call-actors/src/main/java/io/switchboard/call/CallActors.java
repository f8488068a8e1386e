package io.switchboard.call;

import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.TenantRegistry;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The wiring point of the telephony domain: cluster-node calls {@link #init} on every node, and
 * each entity of this module (Call, User, Directory) will register its {@code EntityTypeKey}
 * with Cluster Sharding here, on the {@code core} role. No entity exists yet: the Call control
 * core issue adds them.
 */
public final class CallActors {
  private CallActors() {}

  public static void init(ActorSystem<?> system, CallSettings settings) {
    Directory.init(system);
    TenantRegistry.init(system);
    system.log().debug("call-actors ready (no-answer timeout {}, max call {})",
        settings.noAnswerTimeout(), settings.maxCallDuration());
  }
}
