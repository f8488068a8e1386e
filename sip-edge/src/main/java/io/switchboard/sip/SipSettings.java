package io.switchboard.sip;

import io.switchboard.config.SettingsReader;

/**
 * Where the SIP edge listens.
 *
 * @param bindHost interface to bind
 * @param port     UDP and TCP port (5060)
 * @param tlsPort  TLS port (5061)
 */
public record SipSettings(String bindHost, int port, int tlsPort) {

  public static SipSettings read(SettingsReader root) {
    SettingsReader s = root.at("switchboard.sip");
    String host = s.nonEmptyString("bind-host");
    int port = s.port("port", false);
    int tls = s.port("tls-port", false);
    if (port != 0 && port == tls) {
      s.problem("tls-port", "must differ from " + s.fullKey("port"));
    }
    return new SipSettings(host, port, tls);
  }
}
