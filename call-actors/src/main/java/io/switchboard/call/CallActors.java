package io.switchboard.call;

import io.switchboard.call.directory.Directory;
import io.switchboard.call.directory.TenantRegistry;
import io.switchboard.call.user.User;
import io.switchboard.call.user.UserSettings;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The wiring point of the telephony domain: cluster-node calls {@link #init} on every node, and
 * each entity of this module (Call, User, Directory, the tenant registry) registers its {@code
 * EntityTypeKey} with Cluster Sharding here, on the {@code core} role. Nodes without that role
 * only proxy to the entities.
 */
public final class CallActors {
  private CallActors() {}

  /**
   * For tests and tools: reads {@code switchboard.calls.users} from the system's configuration.
   *
   * @throws io.switchboard.config.SettingsException if it is invalid
   */
  public static void init(ActorSystem<?> system, CallSettings settings) {
    init(system, settings, UserSettings.read(system.settings().config(), settings));
  }

  /** The node's wiring, with every setting read and validated up front by its configuration. */
  public static void init(ActorSystem<?> system, CallSettings settings, UserSettings users) {
    Directory.init(system);
    TenantRegistry.init(system);
    User.init(system, users);
    Call.init(system, settings, new ShardedCallRouting(system));
    system.log().debug("call-actors ready (no-answer timeout {}, max call {})",
        settings.noAnswerTimeout(), settings.maxCallDuration());
  }
}
