package io.switchboard.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.switchboard.call.CallSettings;
import io.switchboard.call.user.UserSettings;
import io.switchboard.config.ClusterRole;
import io.switchboard.config.NodeSettings;
import io.switchboard.config.SettingsReader;
import io.switchboard.http.HttpApiSettings;
import io.switchboard.http.admin.AdminApiSettings;
import io.switchboard.media.MediaSettings;
import io.switchboard.persistence.cassandra.CassandraSettings;
import io.switchboard.sip.SipSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every module's settings, read and validated together so that one start reports every mistake,
 * and the Pekko configuration derived from them.
 */
public record NodeConfiguration(
    Config config,
    NodeSettings node,
    Duration joinTimeout,
    CassandraSettings cassandra,
    Duration cassandraProbeTimeout,
    Duration schemaTimeout,
    HttpApiSettings http,
    AdminApiSettings admin,
    ManagementSettings management,
    MetricsSettings metrics,
    CallSettings calls,
    UserSettings users,
    MediaSettings media,
    SipSettings sip) {

  /** @throws io.switchboard.config.SettingsException naming every wrong or missing key */
  public static NodeConfiguration read(Config config) {
    SettingsReader r = new SettingsReader(config);
    NodeSettings node = NodeSettings.read(r);
    Duration joinTimeout = r.positiveDuration("switchboard.node.join-timeout");
    Duration probeTimeout = r.positiveDuration("switchboard.cassandra.probe-timeout");
    Duration schemaTimeout = r.positiveDuration("switchboard.cassandra.schema-timeout");
    HttpApiSettings http = HttpApiSettings.read(r);
    AdminApiSettings admin = AdminApiSettings.read(r);
    ManagementSettings management = ManagementSettings.read(r);
    MetricsSettings metrics = MetricsSettings.read(r);
    CallSettings calls = CallSettings.read(r);
    UserSettings users = UserSettings.read(r, calls);
    MediaSettings media = MediaSettings.read(r);
    SipSettings sip = SipSettings.read(r);
    CassandraSettings cassandra = CassandraSettings.read(r, node.dataDir()); // validates all problems so far
    return new NodeConfiguration(config, node, joinTimeout, cassandra, probeTimeout, schemaTimeout, http, admin, management,
        metrics, calls, users, media, sip);
  }

  /** The ActorSystem's configuration: settings-derived keys in front of the loaded config. */
  public Config pekkoConfig(List<String> cassandraContactPoints) {
    Map<String, Object> derived = new HashMap<>();
    derived.put("pekko.remote.artery.canonical.hostname", node.hostname());
    derived.put("pekko.remote.artery.canonical.port", node.port());
    derived.put("pekko.cluster.roles", node.roles().stream().map(ClusterRole::roleName).sorted().toList());
    derived.put("pekko.management.http.hostname", management.host());
    derived.put("pekko.management.http.port", management.port());
    derived.put("pekko.http.server.request-timeout", http.requestTimeout().toMillis() + "ms");
    derived.put("kamon.prometheus.embedded-server.hostname", metrics.host());
    derived.put("kamon.prometheus.embedded-server.port", metrics.port());
    return ConfigFactory.parseMap(derived, "switchboard settings")
        .withFallback(io.switchboard.persistence.cassandra.CassandraPekkoConfig.of(cassandra, cassandraContactPoints))
        .withFallback(config)
        .resolve();
  }
}
