package io.switchboard.config;

import java.util.List;

/**
 * Thrown at start-up when configuration is wrong. The message names every offending key, so the
 * operator can fix them all in one go; it is meant to be printed as is, without a stack trace.
 */
public final class SettingsException extends RuntimeException {
  private final List<String> problems;

  public SettingsException(List<String> problems) {
    super(problems.size() == 1
        ? "Configuration error: " + problems.get(0)
        : "Configuration errors:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
