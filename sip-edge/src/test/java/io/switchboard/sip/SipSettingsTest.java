package io.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.switchboard.config.SettingsException;
import io.switchboard.config.SettingsReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipSettingsTest {
  private static SipSettings read(String hocon) {
    return SettingsReader.readValidated(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve(), SipSettings::read);
  }

  @Test
  void defaultsAreTheRfc3261Ports() {
    assertEquals(new SipSettings("127.0.0.1", 5060, 5061), read(""));
  }

  @Test
  void aClashingTlsPortIsRefused() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> read("switchboard.sip { port = 5070, tls-port = 5070 }"));
    assertEquals(List.of("switchboard.sip.tls-port must differ from switchboard.sip.port"), e.problems());
  }
}
