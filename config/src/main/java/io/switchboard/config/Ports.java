package io.switchboard.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Checks, before anything binds, that the ports this node needs are free, to fail with one clear sentence. */
public final class Ports {

  /** A port the node is about to listen on, with the key that configures it and what it is for. */
  public record Wanted(String host, int port, String key, String purpose) {}

  /** A port another process holds. */
  public static final class PortInUseException extends RuntimeException {
    public PortInUseException(String message) {
      super(message);
    }
  }

  private Ports() {}

  public static void requireFree(List<Wanted> wanted) {
    for (Wanted w : wanted) {
      if (w.port() == 0) {
        continue;
      }
      if (!isFree(w.host(), w.port())) {
        throw new PortInUseException("Port " + w.port() + " on " + w.host() + " (" + w.purpose()
            + ") is already in use by another process: stop that process or choose another port with "
            + w.key() + ".");
      }
    }
  }

  public static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A currently free ephemeral port on loopback (tests and internal-only listeners). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on loopback", e);
    }
  }
}
