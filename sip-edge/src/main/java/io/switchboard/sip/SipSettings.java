package io.switchboard.sip;

import io.switchboard.config.SettingsReader;
import io.switchboard.sip.auth.DigestAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The SIP edge's settings ({@code switchboard.sip}, defaults documented in reference.conf).
 *
 * @param bindHost interface to bind and address to advertise
 * @param port     UDP and TCP port (5060)
 * @param tlsPort  TLS port (5061)
 */
public record SipSettings(String bindHost, int port, int tlsPort, OptionalInt wsPort, OptionalInt wssPort,
                          Optional<Path> tlsCertificate, Optional<Path> tlsPrivateKey, Optional<String> defaultTenant,
                          Optional<String> nonceSecret, java.util.List<DigestAlgorithm> digestAlgorithms,
                          Duration nonceLifetime, Duration minExpires,
                          Duration maxExpires, Duration defaultExpires, int maxTransactions, int maxCallRate,
                          int maxRequestRatePerSource, Duration retryAfter, int authFailuresBeforeLockout,
                          Duration t1, Duration t2, Duration t4, int maxConnections, Duration connectionIdleTimeout) {

  public static SipSettings read(SettingsReader root) {
    SettingsReader s = root.at("switchboard.sip");
    String host = s.nonEmptyString("bind-host");
    int port = s.port("port", true);
    int tls = s.port("tls-port", true);
    if (port != 0 && port == tls) {
      s.problem("tls-port", "must differ from " + s.fullKey("port"));
    }
    OptionalInt ws = optionalPort(s, "ws-port");
    OptionalInt wss = optionalPort(s, "wss-port");
    Optional<Path> cert = optionalString(s, "tls-certificate").map(Path::of);
    Optional<Path> key = optionalString(s, "tls-private-key").map(Path::of);
    if (cert.isPresent() != key.isPresent()) {
      s.problem("tls-private-key", "and " + s.fullKey("tls-certificate") + " must be set together");
    }
    Duration min = s.positiveDuration("registration.min-expires");
    Duration max = s.positiveDuration("registration.max-expires");
    Duration standard = s.positiveDuration("registration.default-expires");
    if (min.compareTo(max) > 0) {
      s.problem("registration.min-expires", "must not exceed " + s.fullKey("registration.max-expires"));
    }
    Duration t1 = s.positiveDuration("timers.t1");
    Duration t2 = s.positiveDuration("timers.t2");
    if (t2.compareTo(t1) < 0) {
      s.problem("timers.t2", "must be at least " + s.fullKey("timers.t1"));
    }
    return new SipSettings(host, port, tls, ws, wss, cert, key, optionalString(s, "default-tenant"),
        optionalString(s, "nonce-secret"), algorithms(s), s.positiveDuration("nonce-lifetime"), min, max, standard,
        s.intInRange("max-transactions", 100, 10_000_000), s.intInRange("max-call-rate", 1, 1_000_000),
        s.intInRange("max-request-rate-per-source", 1, 1_000_000), s.positiveDuration("retry-after"),
        s.intInRange("auth-failures-before-lockout", 1, 1000), t1, t2, s.positiveDuration("timers.t4"),
        s.intInRange("max-connections", 1, 1_000_000), s.positiveDuration("connection-idle-timeout"));
  }

  private static java.util.List<DigestAlgorithm> algorithms(SettingsReader s) {
    java.util.List<DigestAlgorithm> out = new java.util.ArrayList<>();
    for (String name : s.stringList("digest-algorithms")) {
      Optional<DigestAlgorithm> a = DigestAlgorithm.parse(name);
      if (a.isEmpty()) {
        s.problem("digest-algorithms", "names " + name + "; only SHA-256 and MD5 are supported");
      } else if (!out.contains(a.get())) {
        out.add(a.get());
      }
    }
    if (out.isEmpty()) {
      s.problem("digest-algorithms", "must name at least one algorithm");
      out.add(DigestAlgorithm.SHA_256);
    }
    return java.util.List.copyOf(out);
  }

  private static OptionalInt optionalPort(SettingsReader s, String key) {
    if (s.intInRange(key, -1, 65535) < 0) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(s.port(key, true));
  }

  private static Optional<String> optionalString(SettingsReader s, String key) {
    String v = s.string(key).trim();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }
}
