package io.switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.switchboard.config.SettingsException;
import io.switchboard.config.SettingsReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallSettingsTest {
  private static CallSettings read(String hocon) {
    return SettingsReader.readValidated(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve(), CallSettings::read);
  }

  @Test
  void defaults() {
    assertEquals(new CallSettings(Duration.ofSeconds(30), Duration.ofHours(4), 5), read(""));
  }

  @Test
  void aMaximumShorterThanRingingIsRefused() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> read("switchboard.calls { no-answer-timeout = 60s, max-call-duration = 30s }"));
    assertEquals(List.of("switchboard.calls.max-call-duration must be longer than switchboard.calls.no-answer-timeout"),
        e.problems());
  }

  @Test
  void aDurationThatIsNotOneIsRefused() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> read("switchboard.calls.no-answer-timeout = soon"));
    assertEquals("switchboard.calls.no-answer-timeout must be a duration such as 30s", e.problems().get(0));
  }
}
