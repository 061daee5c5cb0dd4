package io.shadowcar.common.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration key, declared once with everything known about it: its name, its default (as the text an operator
 * would write, so docs and behaviour cannot disagree), what it accepts and what it means. Modules declare their
 * settings as constants in one {@code *Settings} class and read them through a {@link ConfigView}; the launcher
 * collects every declaration into a {@link SettingCatalog} to reject unknown keys and to generate the configuration
 * reference.
 *
 * <p>Key patterns: one segment may be {@value #NAME} (a per-instance family such as {@code shadowcar.checks.NAME.http});
 * a key ending in {@code .*} declares free-form sub-keys passed through unchecked (such as Kafka producer settings).
 *
 * <p>A blank value means "not set": the default applies.
 *
 * <p>A setting marked {@link #runtime()} is applied while the process runs; only such settings (and keys outside
 * {@code shadowcar.*}) may come from a dynamic configuration source. Every other setting is read at start, so a dynamic
 * source must not be able to plant it for the next restart (a check's script, a template's command).
 *
 * @param <T> the typed value
 */
public final class Setting<T> {

  /** The segment that stands for any one name in a key family. */
  public static final String NAME = "NAME";

  /** Turns a non-blank trimmed value into T; throwing or returning {@code null} means "not acceptable". */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(String raw) throws Exception;
  }

  private final String key;
  private final String defaultText;
  private final T defaultValue;
  private final String expected;
  private final Parser<T> parser;
  private final String description;
  private final boolean runtime;

  private Setting(String key, String defaultText, String expected, Parser<T> parser, String description) {
    this(key, defaultText, expected, parser, description, false);
  }

  private Setting(String key, String defaultText, String expected, Parser<T> parser, String description,
      boolean runtime) {
    this.runtime = runtime;
    this.key = Objects.requireNonNull(key, "key");
    this.expected = Objects.requireNonNull(expected, "expected");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.description = Objects.requireNonNull(description, "description");
    this.defaultText = defaultText;
    this.defaultValue = defaultText == null ? null : parseDefault(key, defaultText, parser, expected);
  }

  /**
   * The general form.
   *
   * @param defaultText the default as an operator would write it; {@code ""} for "empty" (the parser then receives
   *     {@code ""}), {@code null} for "no default" (required or optional: {@link ConfigView#get} returns {@code null})
   */
  public static <T> Setting<T> of(String key, String defaultText, String expected, Parser<T> parser,
      String description) {
    return new Setting<>(key, defaultText, expected, parser, description);
  }

  public static Setting<String> string(String key, String defaultText, String description) {
    return of(key, defaultText, "text", raw -> raw, description);
  }

  public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
    return of(key, String.valueOf(defaultValue), "true or false", raw -> switch (raw.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    }, description);
  }

  /** An integer in {@code [min, max]}; {@code defaultText} may be {@code null} (no default). */
  public static Setting<Integer> intIn(String key, String defaultText, int min, int max, String expected,
      String description) {
    return of(key, defaultText, expected, raw -> {
      int value = Integer.parseInt(raw);
      return value >= min && value <= max ? value : null;
    }, description);
  }

  /**
   * An integer {@code > 0} without an upper bound. Not for a count, size or rate that sizes memory (a window, pool,
   * queue or buffer): give those {@link #intIn} with a sane maximum; the catalogue of the process is checked for it.
   */
  public static Setting<Integer> positiveInt(String key, int defaultValue, String description) {
    return intIn(key, String.valueOf(defaultValue), 1, Integer.MAX_VALUE, "integer > 0", description);
  }

  /** An integer {@code >= 0} without an upper bound; see {@link #positiveInt} for when not to use it. */
  public static Setting<Integer> nonNegativeInt(String key, int defaultValue, String description) {
    return intIn(key, String.valueOf(defaultValue), 0, Integer.MAX_VALUE, "integer >= 0", description);
  }

  public static Setting<Long> longIn(String key, String defaultText, long min, long max, String expected,
      String description) {
    return of(key, defaultText, expected, raw -> {
      long value = Long.parseLong(raw);
      return value >= min && value <= max ? value : null;
    }, description);
  }

  public static Setting<Double> doubleIn(String key, String defaultText, double min, double max, String expected,
      String description) {
    return of(key, defaultText, expected, raw -> {
      double value = Double.parseDouble(raw);
      return value >= min && value <= max ? value : null;
    }, description);
  }

  /** Milliseconds of at least {@code min}, as a Duration; the key conventionally ends in {@code .ms}. */
  public static Setting<Duration> millis(String key, long defaultMillis, long min, String description) {
    return of(key, String.valueOf(defaultMillis), "milliseconds >= " + min, raw -> {
      long value = Long.parseLong(raw);
      return value >= min && value <= Long.MAX_VALUE / 2 ? Duration.ofMillis(value) : null;
    }, description);
  }

  /** A comma list with blanks dropped ({@code ""} is the empty list). */
  public static Setting<List<String>> list(String key, String defaultText, String expected, String description) {
    return of(key, defaultText, expected, Setting::splitList, description);
  }

  /** A file path; empty by default. */
  public static Setting<Optional<Path>> path(String key, String description) {
    return of(key, "", "a file path", raw -> raw.isEmpty() ? Optional.empty() : Optional.of(Path.of(raw)),
        description);
  }

  /** An absolute http, https or file URL; empty by default. */
  public static Setting<Optional<URI>> url(String key, String description) {
    return of(key, "", "an absolute http://, https:// or file: URL", raw -> {
      if (raw.isEmpty()) {
        return Optional.empty();
      }
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return scheme.equals("http") || scheme.equals("https") || scheme.equals("file") ? Optional.of(uri) : null;
    }, description);
  }

  /** Free-form sub-keys under {@code prefix} ({@code prefix.*}), passed through unchecked; read with
   * {@link ConfigView#subKeys}. */
  public static Setting<Void> passThrough(String prefix, String description) {
    return of(prefix + ".*", null, "any", raw -> null, description);
  }

  public static List<String> splitList(String raw) {
    return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * A copy marked as applied while the process runs. Mark a setting only when a change really takes effect without a
   * restart: the mark is what lets a dynamic source set it.
   */
  public Setting<T> runtime() {
    return new Setting<>(key, defaultText, expected, parser, description, true);
  }

  /** True when a change applies without a restart, so a dynamic source may set it. */
  public boolean isRuntime() {
    return runtime;
  }

  /** The key or key pattern, e.g. {@code shadowcar.checks.NAME.interval.ms}. */
  public String key() {
    return key;
  }

  /** The key with the {@value #NAME} segment replaced by {@code name}. */
  public String key(String name) {
    return key.replace("." + NAME + ".", "." + name + ".");
  }

  /** True when the key has a {@value #NAME} segment. */
  public boolean isFamily() {
    return key.contains("." + NAME + ".");
  }

  /** True for a {@code prefix.*} pass-through declaration. */
  public boolean isPassThrough() {
    return key.endsWith(".*");
  }

  /** The default as written in the docs; {@code ""} empty, {@code null} none. */
  public String defaultText() {
    return defaultText;
  }

  /** The typed default, or {@code null} when there is none. */
  public T defaultValue() {
    return defaultValue;
  }

  public String expected() {
    return expected;
  }

  public String description() {
    return description;
  }

  /** The value of {@code raw} (trimmed, non-blank), or {@code null} when not acceptable. */
  T parse(String raw) {
    try {
      return parser.parse(raw);
    } catch (Exception e) { // NumberFormatException, URISyntaxException, InvalidPathException...
      return null;
    }
  }

  private static <T> T parseDefault(String key, String text, Parser<T> parser, String expected) {
    try {
      T value = parser.parse(text.trim());
      if (value == null && !text.isEmpty()) {
        throw new IllegalStateException(key + ": default '" + text + "' does not parse (" + expected + ")");
      }
      return value;
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      if (text.isEmpty()) {
        return null; // "empty" for a type whose parser rejects "": no value
      }
      throw new IllegalStateException(key + ": default '" + text + "' does not parse (" + expected + ")", e);
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
