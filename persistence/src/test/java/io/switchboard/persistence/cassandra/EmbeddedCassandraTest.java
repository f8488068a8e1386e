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

  /**
   * A node killed with SIGKILL cannot stop its Cassandra. The next start in the same data
   * directory finds it through the pid file, stops it and takes its place on the same ports.
   */
  @Test
  void aCassandraOrphanedByAKilledNodeIsStoppedByTheNextStart() {
    CassandraSettings.Embedded settings = TestCassandra.embeddedSettings(TestCassandra.freshDirectory("orphan"));
    EmbeddedCassandra orphan = EmbeddedCassandra.start(settings, line -> {});
    EmbeddedCassandra next = null;
    try {
      // While its owner lives, nobody may take the directory over.
      CassandraStartException inUse = assertThrows(CassandraStartException.class,
          () -> EmbeddedCassandra.start(settings, line -> {}));
      assertTrue(inUse.getMessage().contains("already in use"), inUse.getMessage());
      assertTrue(orphan.isAlive());

      orphan.abandonLikeAKilledOwner();
      java.util.List<String> progress = new java.util.ArrayList<>();
      next = EmbeddedCassandra.start(settings, progress::add);
      assertTrue(!orphan.isAlive(), "the orphan was stopped");
      assertTrue(next.isAlive());
      long orphanPid = orphan.pid();
      assertTrue(progress.stream().anyMatch(l -> l.contains("left running") && l.contains(Long.toString(orphanPid))),
          progress.toString());
    } finally {
      if (next != null) {
        next.stop();
      }
      orphan.stop();
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
