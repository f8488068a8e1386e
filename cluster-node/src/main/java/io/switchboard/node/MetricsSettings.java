package io.switchboard.node;

import io.switchboard.config.SettingsReader;

/**
 * Kamon metrics, exported for Prometheus.
 *
 * @param enabled               whether Kamon runs at all
 * @param host                  Prometheus endpoint's interface
 * @param port                  Prometheus endpoint's port
 * @param attachInstrumentation attach the Kanela agent at run time if the JVM has none
 */
public record MetricsSettings(boolean enabled, String host, int port, boolean attachInstrumentation) {
  public static MetricsSettings read(SettingsReader root) {
    SettingsReader m = root.at("switchboard.metrics");
    return new MetricsSettings(m.bool("enabled"), m.nonEmptyString("host"), m.port("port", true),
        m.bool("attach-instrumentation"));
  }
}
