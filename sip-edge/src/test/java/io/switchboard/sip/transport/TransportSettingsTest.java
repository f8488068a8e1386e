package io.switchboard.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {
  private static final TransportSettings DEFAULTS = TransportSettings.defaults("0.0.0.0", Path.of("/var/lib/switchboard"));

  private static String problem(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void theDefaultsAreTheStandardPorts() {
    assertEquals(5060, DEFAULTS.udpTcpPort());
    assertEquals(5061, DEFAULTS.tlsPort());
    assertEquals(OptionalInt.empty(), DEFAULTS.wsPort());
    assertEquals(OptionalInt.empty(), DEFAULTS.wssPort());
    assertEquals(10_000, DEFAULTS.maxConnections());
    assertEquals(Duration.ofMinutes(10), DEFAULTS.idleTimeout());
    assertEquals(4 * 1024 * 1024, DEFAULTS.udpReceiveBufferBytes());
    assertEquals(new CertificateSource.SelfSigned(Path.of("/var/lib/switchboard")), DEFAULTS.certificates());
    assertEquals(new ClientTrust.JdkDefault(), DEFAULTS.clientTrust());
  }

  @Test
  void eachBadValueIsNamed() {
    assertTrue(problem(() -> DEFAULTS.withPorts(70000, 5061, OptionalInt.empty(), OptionalInt.empty()))
        .contains("udpTcpPort is 70000; it must be 0..65535"));
    assertTrue(problem(() -> DEFAULTS.withPorts(5060, -1, OptionalInt.empty(), OptionalInt.empty()))
        .contains("tlsPort is -1"));
    assertTrue(problem(() -> DEFAULTS.withPorts(5060, 5061, OptionalInt.of(5061), OptionalInt.empty()))
        .contains("tlsPort and wsPort are both 5061"));
    assertTrue(problem(() -> DEFAULTS.withMaxConnections(0)).contains("maxConnections is 0"));
    assertTrue(problem(() -> DEFAULTS.withIdleTimeout(Duration.ZERO)).contains("idleTimeout is PT0S"));
    assertTrue(problem(() -> DEFAULTS.withIdleTimeout(Duration.ofDays(2))).contains("at most PT24H"));
    assertTrue(problem(() -> DEFAULTS.withUdpReceiveBufferBytes(1024)).contains("udpReceiveBufferBytes is 1024"));
    assertTrue(problem(() -> TransportSettings.defaults(" ", Path.of("x"))).contains("bindHost must not be empty"));
  }

  @Test
  void allProblemsAreReportedAtOnce() {
    String message = problem(() -> new TransportSettings("", -5, 5061, OptionalInt.empty(), OptionalInt.empty(),
        null, new ClientTrust.JdkDefault(), 0, Duration.ofSeconds(1), 1 << 20));
    assertTrue(message.contains("bindHost") && message.contains("udpTcpPort") && message.contains("certificates")
        && message.contains("maxConnections"), message);
  }

  @Test
  void portZeroMayRepeat() {
    TransportSettings ephemeral = DEFAULTS.withPorts(0, 0, OptionalInt.of(0), OptionalInt.of(0));
    assertEquals(0, ephemeral.tlsPort());
  }
}
