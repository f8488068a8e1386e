package io.switchboard.call.user;

import com.typesafe.config.Config;
import io.switchboard.call.CallSettings;
import io.switchboard.config.SettingsReader;
import java.time.Duration;

/**
 * What the User entity needs from configuration.
 *
 * @param maxDevices registrations one user may hold at once; a further device is refused
 * @param noAnswerTimeout how long devices ring when the user set no time of their own
 * @param maxCallDuration an active call older than this is forgotten (its "ended" was lost)
 * @param snapshotEvery a snapshot of the state every this many events
 */
public record UserSettings(int maxDevices, Duration noAnswerTimeout, Duration maxCallDuration, int snapshotEvery) {

  /** The upper bound of {@code max-devices}: a Ring plan with more contacts would be a fork bomb. */
  static final int MAX_DEVICES_LIMIT = 100;

  /** Reads {@code switchboard.calls.users}, taking the call timeouts from {@code calls}. */
  public static UserSettings read(SettingsReader root, CallSettings calls) {
    SettingsReader u = root.at("switchboard.calls.users");
    return new UserSettings(u.intInRange("max-devices", 1, MAX_DEVICES_LIMIT), calls.noAnswerTimeout(),
        calls.maxCallDuration(), u.intInRange("snapshot-every", 1, 10_000));
  }

  /** Reads and validates, throwing {@code SettingsException} with every problem. */
  public static UserSettings read(Config config, CallSettings calls) {
    return SettingsReader.readValidated(config, root -> read(root, calls));
  }
}
