package io.switchboard.http;

import io.switchboard.config.SettingsReader;
import java.time.Duration;

/**
 * The admin API's listener.
 *
 * @param bindHost       interface to bind ({@code 0.0.0.0} for all)
 * @param publicHost     host used in links printed for people (the start line, the status page)
 * @param port           TCP port
 * @param requestTimeout how long a request may take before the client gets 503
 */
public record HttpApiSettings(String bindHost, String publicHost, int port, Duration requestTimeout) {

  public static HttpApiSettings read(SettingsReader root) {
    SettingsReader h = root.at("switchboard.http");
    return new HttpApiSettings(h.nonEmptyString("bind-host"), h.nonEmptyString("public-host"),
        h.port("port", true), h.positiveDuration("request-timeout"));
  }
}
