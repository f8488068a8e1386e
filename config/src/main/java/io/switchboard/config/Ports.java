package io.switchboard.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
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
      InetAddress address;
      try {
        address = InetAddress.getByName(w.host());
      } catch (UnknownHostException e) {
        throw new PortInUseException("Cannot listen on " + w.host() + " (" + w.purpose()
            + "): the host name does not resolve; check the host setting next to " + w.key() + ".");
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(address, w.port()));
      } catch (BindException e) {
        if (String.valueOf(e.getMessage()).contains("in use")) {
          throw new PortInUseException("Port " + w.port() + " on " + w.host() + " (" + w.purpose()
              + ") is already in use by another process: stop that process or choose another port with "
              + w.key() + ".");
        }
        throw cannotListen(w, e.getMessage() + "; the address must belong to this machine (check the host"
            + " setting next to " + w.key() + ")");
      } catch (IOException e) {
        throw cannotListen(w, e.getMessage());
      }
    }
  }

  private static PortInUseException cannotListen(Wanted w, String reason) {
    return new PortInUseException("Cannot listen on " + w.host() + ":" + w.port() + " (" + w.purpose() + "): "
        + reason + ".");
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
