package io.switchboard.node;

import io.switchboard.config.SettingsReader;

/** Pekko Management's listener: health checks ({@code /alive}, {@code /ready}) and cluster membership. */
public record ManagementSettings(String host, int port) {
  public static ManagementSettings read(SettingsReader root) {
    SettingsReader m = root.at("switchboard.management");
    return new ManagementSettings(m.nonEmptyString("host"), m.port("port", true));
  }
}
