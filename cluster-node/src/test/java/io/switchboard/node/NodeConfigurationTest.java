package io.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.switchboard.config.SettingsException;
import io.switchboard.config.SwitchboardConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every setting of every module is read before anything starts, and one start names every mistake. */
class NodeConfigurationTest {

  @Test
  void mistakesInSeveralModulesAreReportedTogether() {
    SettingsException e = assertThrows(SettingsException.class, () -> NodeConfiguration.read(
        SwitchboardConfig.load(Map.of(), ConfigFactory.parseString(String.join("\n",
            "switchboard.calls.users.max-devices = 0",
            "switchboard.calls.max-forwards = 0",
            "switchboard.http.port = 70000")))));
    String message = e.getMessage();
    assertTrue(message.contains("switchboard.calls.users.max-devices"), message);
    assertTrue(message.contains("switchboard.calls.max-forwards"), message);
    assertTrue(message.contains("switchboard.http.port"), message);
  }
}
