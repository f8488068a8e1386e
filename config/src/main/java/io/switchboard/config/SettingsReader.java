package io.switchboard.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads typed values from a {@link Config} and collects every problem instead of stopping at the
 * first. Each accessor returns a usable fallback value after recording a problem, so that a whole
 * settings record can be read before {@link #validate()} reports all errors at once, each naming
 * its full key (e.g. {@code switchboard.http.port}).
 */
public final class SettingsReader {
  private final Config config;
  private final String prefix;
  private final List<String> problems;

  public SettingsReader(Config config) {
    this(config, "", new ArrayList<>());
  }

  private SettingsReader(Config config, String prefix, List<String> problems) {
    this.config = config;
    this.prefix = prefix;
    this.problems = problems;
  }

  /** Reads one settings record with {@code read} and validates it: the usual way to read settings alone. */
  public static <T> T readValidated(Config config, java.util.function.Function<SettingsReader, T> read) {
    SettingsReader reader = new SettingsReader(config);
    T settings = read.apply(reader);
    reader.validate();
    return settings;
  }

  /** A reader for a sub-tree that reports keys with their full path and shares this reader's problems. */
  public SettingsReader at(String path) {
    Config sub;
    try {
      sub = config.getConfig(path);
    } catch (ConfigException.Missing e) {
      problems.add(full(path) + " is missing");
      sub = com.typesafe.config.ConfigFactory.empty();
    } catch (ConfigException.WrongType e) {
      problems.add(full(path) + " must be an object");
      sub = com.typesafe.config.ConfigFactory.empty();
    }
    return new SettingsReader(sub, full(path) + ".", problems);
  }

  public String fullKey(String key) {
    return full(key);
  }

  public void problem(String key, String message) {
    problems.add(full(key) + " " + message);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Throws a {@link SettingsException} naming every problem recorded so far. */
  public void validate() {
    if (!problems.isEmpty()) {
      throw new SettingsException(problems);
    }
  }

  public String string(String key) {
    return read(key, "a string", config::getString, "");
  }

  public String nonEmptyString(String key) {
    String value = string(key);
    if (config.hasPath(key) && value.isBlank()) {
      problem(key, "must not be empty");
    }
    return value;
  }

  public boolean bool(String key) {
    return read(key, "true or false", config::getBoolean, false);
  }

  public int intInRange(String key, int min, int max) {
    int value = read(key, "an integer", config::getInt, min);
    if (config.hasPath(key) && (value < min || value > max)) {
      problem(key, "= " + value + " must be between " + min + " and " + max);
      return min;
    }
    return value;
  }

  /** A TCP/UDP port to listen on; 0 means "any free port" only when {@code allowEphemeral}. */
  public int port(String key, boolean allowEphemeral) {
    String raw = config.hasPath(key) ? String.valueOf(config.getValue(key).unwrapped()) : "";
    int value = read(key, "a port number", config::getInt, 0);
    int min = allowEphemeral ? 0 : 1;
    if (config.hasPath(key) && (value < min || value > 65535)) {
      problem(key, "= " + raw + " is not a valid port (" + min + "-65535)");
      return 0;
    }
    return value;
  }

  public Duration positiveDuration(String key) {
    Duration value = read(key, "a duration such as 30s", config::getDuration, Duration.ofSeconds(1));
    if (config.hasPath(key) && (value.isNegative() || value.isZero())) {
      problem(key, "must be a positive duration");
      return Duration.ofSeconds(1);
    }
    return value;
  }

  public List<String> stringList(String key) {
    return read(key, "a list of strings", config::getStringList, List.of());
  }

  public Path path(String key) {
    String value = nonEmptyString(key);
    try {
      return Path.of(value.isBlank() ? "." : value);
    } catch (InvalidPathException e) {
      problem(key, "= " + value + " is not a valid path");
      return Path.of(".");
    }
  }

  /** An enum constant by its lower-case, dash-separated name (e.g. {@code keep-majority}). */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
    String raw = string(key);
    if (!config.hasPath(key)) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        names.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      problem(key, "= " + raw + " must be one of " + names);
      return fallback;
    }
  }

  private <T> T read(String key, String expected, Function<String, T> getter, T fallback) {
    try {
      return getter.apply(key);
    } catch (ConfigException.Missing e) {
      problems.add(full(key) + " is missing");
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problems.add(full(key) + " must be " + expected);
    }
    return fallback;
  }

  private String full(String key) {
    return prefix + key;
  }
}
