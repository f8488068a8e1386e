package io.switchboard.config;

import com.typesafe.config.Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who this node is in the cluster: its remoting address, its roles and where it keeps its data.
 *
 * @param systemName  ActorSystem name; every node of one cluster must use the same
 * @param hostname    address other nodes reach this node at (Artery canonical hostname)
 * @param port        Artery remoting port
 * @param seedNodes   addresses of seed nodes; empty means this node forms a cluster on its own
 * @param roles       what this node runs
 * @param dataDir     directory for logs, the embedded Cassandra and other local state
 */
public record NodeSettings(
    String systemName,
    String hostname,
    int port,
    List<String> seedNodes,
    Set<ClusterRole> roles,
    Path dataDir) {

  public NodeSettings {
    seedNodes = List.copyOf(seedNodes);
    roles = Set.copyOf(roles);
  }

  public boolean hasRole(ClusterRole role) {
    return roles.contains(role);
  }

  /** Reads {@code switchboard.node} and {@code switchboard.data-dir}, recording problems on {@code reader}. */
  public static NodeSettings read(SettingsReader root) {
    SettingsReader node = root.at("switchboard.node");
    String systemName = node.nonEmptyString("system-name");
    if (!systemName.isEmpty() && !systemName.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
      node.problem("system-name", "= " + systemName + " may only contain letters, digits, '-' and '_'");
    }
    String hostname = node.nonEmptyString("hostname");
    int port = node.port("port", true);

    List<String> seeds = new ArrayList<>();
    for (String seed : node.stringList("seed-nodes")) {
      String trimmed = seed.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      String problem = seedProblem(trimmed, systemName);
      if (problem != null) {
        node.problem("seed-nodes", "entry " + trimmed + " " + problem);
      } else {
        seeds.add(trimmed);
      }
    }

    Set<ClusterRole> roles = EnumSet.noneOf(ClusterRole.class);
    for (String name : node.stringList("roles")) {
      String trimmed = name.trim().toLowerCase(Locale.ROOT);
      try {
        roles.add(ClusterRole.valueOf(trimmed.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        node.problem("roles", "contains unknown role '" + name + "' (known: edge, media, core, api, projection)");
      }
    }
    if (roles.isEmpty() && root.problems().stream().noneMatch(p -> p.contains("roles"))) {
      node.problem("roles", "must name at least one role");
    }
    Path dataDir = root.path("switchboard.data-dir");
    return new NodeSettings(systemName, hostname, port, seeds, roles, dataDir);
  }

  public static NodeSettings fromConfig(Config config) {
    return SettingsReader.readValidated(config, NodeSettings::read);
  }

  private static String seedProblem(String seed, String systemName) {
    try {
      URI uri = new URI(seed);
      if (!"pekko".equals(uri.getScheme())) {
        return "must look like pekko://" + systemName + "@host:port";
      }
      if (uri.getHost() == null || uri.getPort() <= 0) {
        return "must name a host and a port, as in pekko://" + systemName + "@host:port";
      }
      if (!systemName.equals(uri.getUserInfo())) {
        return "names actor system '" + uri.getUserInfo() + "', but this node's is '" + systemName + "'";
      }
      return null;
    } catch (URISyntaxException e) {
      return "is not a valid address (" + e.getReason() + ")";
    }
  }
}
