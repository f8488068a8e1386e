package io.switchboard.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.Map;

/**
 * Loads the configuration a Switchboard process runs with. Highest priority first:
 * <ol>
 *   <li>system properties ({@code -Dkey=value});</li>
 *   <li>{@code SWITCHBOARD_*} environment variables ({@link EnvironmentOverrides});</li>
 *   <li>what the caller passes ({@code extra});</li>
 *   <li>{@code application.conf} (the operator's file, or {@code -Dconfig.file});</li>
 *   <li>every module's {@code switchboard.conf}: our settings for <em>other</em> libraries'
 *       keys (Pekko, the Cassandra plugin, Kamon). They cannot live in {@code reference.conf}:
 *       all reference files are merged in classpath order, so a library's own default could
 *       silently win over ours;</li>
 *   <li>every {@code reference.conf}.</li>
 * </ol>
 * Resolution happens once everything is stacked, so an override also reaches keys that refer to
 * it (e.g. {@code switchboard.http.public-host = ${switchboard.node.hostname}}).
 */
public final class SwitchboardConfig {
  /** Resource name of the per-module overrides of third-party defaults. */
  public static final String OVERRIDES_RESOURCE = "switchboard.conf";

  private SwitchboardConfig() {}

  public static Config load(Map<String, String> env, Config extra) {
    ConfigFactory.invalidateCaches();
    ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader() : SwitchboardConfig.class.getClassLoader();
    Config overrides = ConfigFactory.parseResources(loader, OVERRIDES_RESOURCE,
        ConfigParseOptions.defaults().setAllowMissing(true));
    return ConfigFactory.defaultOverrides()
        .withFallback(EnvironmentOverrides.from(env))
        .withFallback(extra)
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(overrides)
        .withFallback(ConfigFactory.defaultReferenceUnresolved())
        .resolve();
  }

  /** The configuration without environment overrides (tests). */
  public static Config load() {
    return load(Map.of(), ConfigFactory.empty());
  }
}
