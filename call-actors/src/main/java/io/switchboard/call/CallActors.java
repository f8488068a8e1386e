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
   * @throws io.switchboard.config.SettingsException if {@code switchboard.calls.users} is invalid
   *     (read here rather than by the caller so that {@link CallSettings}, which others build on,
   *     keeps its shape)
   */
  public static void init(ActorSystem<?> system, CallSettings settings) {
    Directory.init(system);
    TenantRegistry.init(system);
    User.init(system, UserSettings.read(system.settings().config(), settings));
    Call.init(system, settings, new ShardedCallRouting(system));
    system.log().debug("call-actors ready (no-answer timeout {}, max call {})",
        settings.noAnswerTimeout(), settings.maxCallDuration());
  }
}
