package io.switchboard.call.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.switchboard.call.CallSettings;
import io.switchboard.config.SettingsException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserSettingsTest {
  private static final CallSettings CALLS = new CallSettings(Duration.ofSeconds(30), Duration.ofHours(4), 5);

  private static Config config(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  @Test
  void defaultsTakeTheCallTimeoutsFromCallSettings() {
    assertEquals(new UserSettings(10, Duration.ofSeconds(30), Duration.ofHours(4), 100),
        UserSettings.read(config(""), CALLS));
  }

  @Test
  void aDeviceLimitOutOfRangeIsRefusedWithItsFullKey() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> UserSettings.read(config("switchboard.calls.users.max-devices = 0"), CALLS));
    assertEquals(List.of("switchboard.calls.users.max-devices = 0 must be between 1 and 100"), e.problems());
  }
}
