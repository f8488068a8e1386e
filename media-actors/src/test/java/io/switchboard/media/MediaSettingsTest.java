package io.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.switchboard.config.SettingsException;
import io.switchboard.config.SettingsReader;
import org.junit.jupiter.api.Test;

class MediaSettingsTest {
  private static MediaSettings read(String hocon) {
    return SettingsReader.readValidated(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve(), MediaSettings::read);
  }

  @Test
  void defaultRangeHoldsFiveThousandEndpoints() {
    assertEquals(5000, read("").endpointCapacity());
  }

  @Test
  void anOddOrInvertedRangeIsRefusedNamingTheKeys() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> read("switchboard.media { rtp-port-min = 30001, rtp-port-max = 30000 }"));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("switchboard.media.rtp-port-min = 30001 must be even"), e.getMessage());
    assertTrue(e.getMessage().contains("switchboard.media.rtp-port-max = 30000 must be above"), e.getMessage());
  }
}
