package io.switchboard.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Environment variables an operator may set instead of editing HOCON. Each maps to one key; lists
 * are comma-separated. The table is the single source for the README's configuration section.
 */
public final class EnvironmentOverrides {

  /** How an environment variable's text becomes a config value. */
  public enum Kind { STRING, LIST }

  /** One supported variable. */
  public record Variable(String name, String key, Kind kind, String description) {}

  public static final List<Variable> VARIABLES = List.of(
      new Variable("SWITCHBOARD_DATA_DIR", "switchboard.data-dir", Kind.STRING,
          "directory for logs, the embedded Cassandra and other local state"),
      new Variable("SWITCHBOARD_HOSTNAME", "switchboard.node.hostname", Kind.STRING,
          "address other nodes and clients reach this node at"),
      new Variable("SWITCHBOARD_CLUSTER_PORT", "switchboard.node.port", Kind.STRING,
          "Pekko remoting (Artery) port"),
      new Variable("SWITCHBOARD_SEED_NODES", "switchboard.node.seed-nodes", Kind.LIST,
          "comma-separated seed node addresses, e.g. pekko://switchboard@127.0.0.1:25520"),
      new Variable("SWITCHBOARD_ROLES", "switchboard.node.roles", Kind.LIST,
          "comma-separated roles: edge, media, core, api, projection"),
      new Variable("SWITCHBOARD_HTTP_PORT", "switchboard.http.port", Kind.STRING,
          "admin API and status page port"),
      new Variable("SWITCHBOARD_MANAGEMENT_PORT", "switchboard.management.port", Kind.STRING,
          "Pekko Management port (/alive, /ready, /cluster/members)"),
      new Variable("SWITCHBOARD_METRICS_PORT", "switchboard.metrics.port", Kind.STRING,
          "Prometheus metrics port (/metrics)"),
      new Variable("SWITCHBOARD_CASSANDRA_CONTACT_POINTS", "switchboard.cassandra.contact-points", Kind.LIST,
          "comma-separated host:port of an external Cassandra; empty starts the embedded one"),
      new Variable("SWITCHBOARD_CASSANDRA_DATACENTER", "switchboard.cassandra.local-datacenter", Kind.STRING,
          "the Cassandra driver's local datacenter"),
      new Variable("SWITCHBOARD_CASSANDRA_PORT", "switchboard.cassandra.embedded.native-port", Kind.STRING,
          "CQL port of the embedded Cassandra"),
      new Variable("SWITCHBOARD_CASSANDRA_STORAGE_PORT", "switchboard.cassandra.embedded.storage-port", Kind.STRING,
          "internode port of the embedded Cassandra"));

  private EnvironmentOverrides() {}

  /** The overrides found in {@code env}, as a Config to put in front of the application's config. */
  public static Config from(Map<String, String> env) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Variable v : VARIABLES) {
      String raw = env.get(v.name());
      if (raw == null) {
        continue;
      }
      if (v.kind() == Kind.LIST) {
        values.put(v.key(), Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
      } else {
        values.put(v.key(), raw.trim());
      }
    }
    return ConfigFactory.parseMap(values, "environment variables");
  }

}
