package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.InvalidConfigException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed reads of one {@link ConfigSnapshot} that collect problems instead of stopping at the first, so that
 * {@code --check-config} can name every bad key at once. Each read returns a usable fallback after recording a problem;
 * call {@link #throwIfInvalid()} before using anything that was read.
 *
 * <p>Used only by the binders: modules never see keys.
 */
public final class ConfigReader {

  private final ConfigSnapshot snapshot;
  private final ConfigView view;
  private final List<ConfigProblem> problems = new ArrayList<>();

  public ConfigReader(ConfigSnapshot snapshot) {
    this.snapshot = snapshot;
    this.view = ConfigView.of(snapshot.values());
  }

  /** The same snapshot as a {@link ConfigView}, for binders on the declared-settings convention; its problems count. */
  public ConfigView view() {
    return view;
  }

  public ConfigSnapshot snapshot() {
    return snapshot;
  }

  public String string(String key, String fallback) {
    return snapshot.get(key).orElse(fallback);
  }

  public Optional<String> optional(String key) {
    return snapshot.get(key);
  }

  public String required(String key, String expected) {
    Optional<String> value = snapshot.get(key);
    if (value.isEmpty()) {
      problems.add(new ConfigProblem(key, null, expected));
      return "";
    }
    return value.get();
  }

  public boolean bool(String key, boolean fallback) {
    return parse(key, fallback, "true or false", raw -> switch (raw.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> null;
    });
  }

  /** An integer in {@code [min, max]}; {@code expected} is the text shown when it is not. */
  public int intIn(String key, int fallback, int min, int max, String expected) {
    return parse(key, fallback, expected, raw -> {
      int value = Integer.parseInt(raw);
      return value >= min && value <= max ? value : null;
    });
  }

  public int positiveInt(String key, int fallback) {
    return intIn(key, fallback, 1, Integer.MAX_VALUE, "integer > 0");
  }

  public int port(String key, int fallback) {
    return intIn(key, fallback, 0, 65535, "port 0-65535 (0 = any free port)");
  }

  public long longIn(String key, long fallback, long min, long max, String expected) {
    return parse(key, fallback, expected, raw -> {
      long value = Long.parseLong(raw);
      return value >= min && value <= max ? value : null;
    });
  }

  public double doubleIn(String key, double fallback, double min, double max, String expected) {
    return parse(key, fallback, expected, raw -> {
      double value = Double.parseDouble(raw);
      return value >= min && value <= max ? value : null;
    });
  }

  public Duration millis(String key, Duration fallback, String expected) {
    return Duration.ofMillis(longIn(key, fallback.toMillis(), 1, Long.MAX_VALUE / 2, expected));
  }

  public Duration seconds(String key, Duration fallback, long min, String expected) {
    return Duration.ofSeconds(longIn(key, fallback.toSeconds(), min, Long.MAX_VALUE / 2_000, expected));
  }

  /** A comma list with blanks dropped; empty when the key is absent. */
  public List<String> list(String key, List<String> fallback) {
    return snapshot.get(key)
        .map(raw -> Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(fallback);
  }

  public Optional<Path> path(String key) {
    return optionalParse(key, "a file path", Path::of);
  }

  /** An absolute http(s) or file URL. */
  public Optional<URI> url(String key) {
    return optionalParse(key, "an absolute http://, https:// or file: URL", raw -> {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return scheme.equals("http") || scheme.equals("https") || scheme.equals("file") ? uri : null;
    });
  }

  /** Records a problem found by a binder beyond simple parsing (e.g. a cross-key rule). */
  public void problem(String key, String expected) {
    problems.add(new ConfigProblem(key, snapshot.get(key).orElse(null), expected));
  }

  /**
   * Builds a module's config record. Its compact constructor reports a bad value as {@code "field: value (expected:
   * ...)"}; that becomes a problem on the key {@code fieldKeys} maps the field to (else {@code fallbackKey}).
   *
   * @return the record, or {@code null} after recording a problem ({@link #throwIfInvalid()} keeps it from escaping)
   */
  public <T> T record(java.util.function.Supplier<T> factory, Map<String, String> fieldKeys, String fallbackKey) {
    try {
      return factory.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      String message = String.valueOf(e.getMessage());
      int colon = message.indexOf(": ");
      String key = colon > 0 ? fieldKeys.get(message.substring(0, colon)) : null;
      problems.add(key != null
          ? LegacyProblems.of(key, message.substring(colon + 2))
          : LegacyProblems.of(fallbackKey, message));
      return null;
    }
  }

  /** Records a problem a module's own binder reported. */
  public void add(ConfigProblem problem) {
    problems.add(problem);
  }

  public List<ConfigProblem> problems() {
    List<ConfigProblem> all = new ArrayList<>(problems);
    all.addAll(view.problems());
    return all;
  }

  public void throwIfInvalid() {
    List<ConfigProblem> all = problems();
    if (!all.isEmpty()) {
      throw new InvalidConfigException(all);
    }
  }

  /** A parser that may throw or return {@code null} for "not acceptable". */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String raw) throws Exception;
  }

  private <T> T parse(String key, T fallback, String expected, Parser<T> parser) {
    Optional<String> raw = snapshot.get(key);
    if (raw.isEmpty()) {
      return fallback;
    }
    return optionalParse(key, expected, parser).orElse(fallback);
  }

  private <T> Optional<T> optionalParse(String key, String expected, Parser<T> parser) {
    Optional<String> raw = snapshot.get(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    T value;
    try {
      value = parser.parse(raw.get());
    } catch (Exception e) { // NumberFormatException, URISyntaxException, InvalidPathException...
      value = null;
    }
    if (value == null) {
      problems.add(new ConfigProblem(key, raw.get(), expected));
      return Optional.empty();
    }
    return Optional.of(value);
  }
}
