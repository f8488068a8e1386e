package io.switchboard.persistence.cassandra;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.config.Ports;
import io.switchboard.persistence.testkit.TestCassandra;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The embedded Cassandra refuses to start with one clear sentence, before launching anything. */
class EmbeddedCassandraTest {

  @Test
  void aBusyCqlPortIsNamedWithItsKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CassandraSettings.Embedded base = TestCassandra.embeddedSettings(TestCassandra.freshDirectory("busy"));
      CassandraSettings.Embedded settings = new CassandraSettings.Embedded(base.directory(), base.host(),
          taken.getLocalPort(), base.storagePort(), base.maxHeap(), base.startupTimeout(), base.classpathFile());
      Ports.PortInUseException e = assertThrows(Ports.PortInUseException.class,
          () -> EmbeddedCassandra.start(settings, line -> {}));
      assertTrue(e.getMessage().contains("switchboard.cassandra.embedded.native-port"), e.getMessage());
      assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
    }
  }

  @Test
  void aMissingServerClasspathTellsHowToBuildIt() {
    CassandraSettings.Embedded base = TestCassandra.embeddedSettings(TestCassandra.freshDirectory("nocp"));
    CassandraSettings.Embedded settings = new CassandraSettings.Embedded(base.directory(), base.host(),
        base.nativePort(), base.storagePort(), base.maxHeap(), base.startupTimeout(), Path.of("/nonexistent/cp"));
    CassandraStartException e = assertThrows(CassandraStartException.class,
        () -> EmbeddedCassandra.start(settings, line -> {}));
    assertTrue(e.getMessage().contains("./mvnw"), e.getMessage());
  }

  @Test
  void anUnwritableDirectoryIsRefused() {
    // /proc is never writable, even for root.
    CassandraSettings.Embedded base = TestCassandra.embeddedSettings(TestCassandra.freshDirectory("ro"));
    CassandraSettings.Embedded settings = new CassandraSettings.Embedded(Path.of("/proc/switchboard-test"),
        base.host(), base.nativePort(), base.storagePort(), base.maxHeap(), base.startupTimeout(),
        base.classpathFile());
    CassandraStartException e = assertThrows(CassandraStartException.class,
        () -> EmbeddedCassandra.start(settings, line -> {}));
    assertTrue(e.getMessage().contains("/proc/switchboard-test"), e.getMessage());
  }
}
