package io.switchboard.call;

import io.switchboard.call.user.User;
import io.switchboard.call.user.UserSettings;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The wiring point of the telephony domain: cluster-node calls {@link #init} on every node, and
 * each entity of this module (Call, User, Directory) registers its {@code EntityTypeKey} with
 * Cluster Sharding here, on the {@code core} role.
 */
public final class CallActors {
  private CallActors() {}

  /**
   * @throws io.switchboard.config.SettingsException if {@code switchboard.calls.users} is invalid
   *     (read here rather than by the caller so that {@link CallSettings}, which others build on,
   *     keeps its shape)
   */
  public static void init(ActorSystem<?> system, CallSettings settings) {
    User.init(system, UserSettings.read(system.settings().config(), settings));
    system.log().debug("call-actors ready (no-answer timeout {}, max call {})",
        settings.noAnswerTimeout(), settings.maxCallDuration());
  }
}
