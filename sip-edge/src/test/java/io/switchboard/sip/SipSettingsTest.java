package io.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.switchboard.config.SettingsException;
import io.switchboard.config.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SipSettingsTest {
  private static SipSettings read(String hocon) {
    return SettingsReader.readValidated(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve(), SipSettings::read);
  }

  @Test
  void defaultsAreTheRfc3261PortsAndTimers() {
    SipSettings s = read("");
    assertEquals(5060, s.port());
    assertEquals(5061, s.tlsPort());
    assertEquals(OptionalInt.of(5066), s.wsPort());
    assertEquals(OptionalInt.empty(), s.wssPort());
    assertEquals(Duration.ofMillis(500), s.t1());
    assertEquals(Duration.ofSeconds(4), s.t2());
    assertEquals(Optional.empty(), s.defaultTenant());
    assertEquals(Duration.ofSeconds(60), s.minExpires());
  }

  @Test
  void aClashingTlsPortIsRefused() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> read("switchboard.sip { port = 5070, tls-port = 5070 }"));
    assertEquals(List.of("switchboard.sip.tls-port must differ from switchboard.sip.port"), e.problems());
  }

  @Test
  void aCertificateNeedsItsKeyAndTimersMustBeOrdered() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> read("switchboard.sip { tls-certificate = /x.pem, timers { t1 = 5s, t2 = 1s } }"));
    assertEquals(List.of("switchboard.sip.tls-private-key and switchboard.sip.tls-certificate must be set together",
        "switchboard.sip.timers.t2 must be at least switchboard.sip.timers.t1"), e.problems());
  }
}
