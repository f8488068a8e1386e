package io.switchboard.http.admin;

import io.switchboard.config.SettingsReader;
import java.time.Duration;

/**
 * Limits of the admin API ({@code switchboard.http.admin}).
 *
 * @param maxBodyBytes   larger request bodies answer 413
 * @param askTimeout     how long a request waits for an entity before answering 503
 * @param hashingThreads threads for bcrypt (passwords, tokens)
 * @param hashingQueue   hash jobs that may wait; beyond that 503
 * @param bcryptCost     bcrypt's log2 rounds
 */
public record AdminApiSettings(int maxBodyBytes, Duration askTimeout, int hashingThreads, int hashingQueue,
                               int bcryptCost) {

  public static AdminApiSettings read(SettingsReader root) {
    SettingsReader a = root.at("switchboard.http.admin");
    return new AdminApiSettings(a.intInRange("max-body-kib", 1, 16 * 1024) * 1024,
        a.positiveDuration("ask-timeout"), a.intInRange("hashing-threads", 1, 64),
        a.intInRange("hashing-queue", 1, 100_000), a.intInRange("bcrypt-cost", 4, 31));
  }
}
