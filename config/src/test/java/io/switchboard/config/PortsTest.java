package io.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void aBusyPortIsReportedWithItsPurposeAndKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Ports.PortInUseException e = assertThrows(Ports.PortInUseException.class, () -> Ports.requireFree(
          List.of(new Ports.Wanted("127.0.0.1", port, "switchboard.http.port", "admin API"))));
      assertTrue(e.getMessage().contains("Port " + port), e.getMessage());
      assertTrue(e.getMessage().contains("switchboard.http.port"), e.getMessage());
      assertTrue(e.getMessage().contains("admin API"), e.getMessage());
    }
  }

  @Test
  void aFreePortPasses() {
    int port = Ports.freePort();
    Ports.requireFree(List.of(new Ports.Wanted("127.0.0.1", port, "k", "p")));
  }

  @Test
  void anAddressThatIsNotThisMachinesIsNotCalledBusy() {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a local interface. Nothing is sent.
    Ports.PortInUseException e = assertThrows(Ports.PortInUseException.class, () -> Ports.requireFree(
        List.of(new Ports.Wanted("192.0.2.1", 8080, "switchboard.http.port", "admin API"))));
    assertTrue(e.getMessage().startsWith("Cannot listen on 192.0.2.1:8080"), e.getMessage());
  }
}
