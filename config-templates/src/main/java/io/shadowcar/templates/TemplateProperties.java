package io.shadowcar.templates;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the {@code shadowcar.templates.NAME.*} keys of a flat config snapshot to {@link TemplateConfig} records. Meant
 * for the launcher (start-up and {@code --check-config}); the renderer itself never reads keys.
 *
 * <p>Keys per template (defaults in brackets): {@code source}, {@code target} (both required), {@code command} [none],
 * {@code perms} [keep; 0644 for a new file], {@code wait.min} [0], {@code wait.max} [4 × wait.min],
 * {@code backup} [false], {@code command.timeout} [30s], {@code inPlaceFallback} [false]. Durations are milliseconds
 * ({@code 500}) or a number with a unit {@code ms}, {@code s}, {@code m}, {@code h} ({@code 2s}).
 */
public final class TemplateProperties {

  /** Every template key starts with this. */
  public static final String PREFIX = "shadowcar.templates.";

  public static final String SOURCE = "source";
  public static final String TARGET = "target";
  public static final String COMMAND = "command";
  public static final String PERMS = "perms";
  public static final String WAIT_MIN = "wait.min";
  public static final String WAIT_MAX = "wait.max";
  public static final String BACKUP = "backup";
  public static final String COMMAND_TIMEOUT = "command.timeout";
  public static final String IN_PLACE_FALLBACK = "inPlaceFallback";

  private static final Set<String> KNOWN =
      Set.of(SOURCE, TARGET, COMMAND, PERMS, WAIT_MIN, WAIT_MAX, BACKUP, COMMAND_TIMEOUT, IN_PLACE_FALLBACK);
  private static final String KNOWN_LIST = String.join(", ", new TreeSet<>(KNOWN));
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

  private TemplateProperties() {}

  /**
   * Every template defined in {@code config}, in name order.
   *
   * @throws IllegalArgumentException listing every problem, one line each, each starting with the full key
   */
  public static List<TemplateConfig> bind(Map<String, String> config) {
    Map<String, Map<String, String>> byName = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    config.forEach((key, value) -> {
      if (!key.startsWith(PREFIX)) {
        return;
      }
      String rest = key.substring(PREFIX.length());
      int dot = rest.indexOf('.');
      if (dot <= 0) {
        problems.add(key + ": unknown key (expected: " + PREFIX + "NAME.KEY with KEY one of: " + KNOWN_LIST + ")");
        return;
      }
      byName.computeIfAbsent(rest.substring(0, dot), n -> new TreeMap<>()).put(rest.substring(dot + 1), value);
    });
    List<TemplateConfig> templates = new ArrayList<>();
    byName.forEach((name, keys) -> {
      try {
        templates.add(bindOne(name, keys));
      } catch (IllegalArgumentException e) {
        e.getMessage().lines().forEach(line -> problems.add(PREFIX + name + "." + line));
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return List.copyOf(templates);
  }

  private static TemplateConfig bindOne(String name, Map<String, String> keys) {
    List<String> problems = new ArrayList<>();
    keys.keySet().stream()
        .filter(k -> !KNOWN.contains(k))
        .forEach(k -> problems.add(k + ": unknown key (expected one of: " + KNOWN_LIST + ")"));
    Path source = path(keys, SOURCE, problems);
    Path target = path(keys, TARGET, problems);
    Duration waitMin = duration(keys, WAIT_MIN, Duration.ZERO, problems);
    Duration waitMax = duration(keys, WAIT_MAX, TemplateConfig.defaultWaitMax(waitMin), problems);
    Duration commandTimeout = duration(keys, COMMAND_TIMEOUT, TemplateConfig.DEFAULT_COMMAND_TIMEOUT, problems);
    boolean backup = bool(keys, BACKUP, problems);
    boolean inPlace = bool(keys, IN_PLACE_FALLBACK, problems);
    // Blank means "none", so a higher config layer can switch a command or perms off again.
    Optional<String> command = Optional.ofNullable(keys.get(COMMAND)).map(String::strip).filter(c -> !c.isEmpty());
    Optional<String> perms = Optional.ofNullable(keys.get(PERMS)).map(String::strip).filter(p -> !p.isEmpty());
    try {
      perms.ifPresent(TemplateConfig::parsePerms);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (problems.isEmpty()) {
      try {
        return new TemplateConfig(name, source, target, command, perms.map(TemplateConfig::parsePerms), waitMin,
            waitMax, backup, commandTimeout, inPlace);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    throw new IllegalArgumentException(String.join("\n", problems));
  }

  private static Path path(Map<String, String> keys, String key, List<String> problems) {
    String value = keys.get(key);
    if (value == null || value.isBlank()) {
      problems.add(key + ": missing (expected: a file path)");
      return null;
    }
    return Path.of(value.strip());
  }

  private static boolean bool(Map<String, String> keys, String key, List<String> problems) {
    String value = keys.getOrDefault(key, "false").strip();
    if (!value.equals("true") && !value.equals("false")) {
      problems.add(key + ": \"" + value + "\" (expected: true or false)");
    }
    return value.equals("true");
  }

  private static Duration duration(Map<String, String> keys, String key, Duration fallback, List<String> problems) {
    String value = keys.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(value.strip());
    if (!m.matches()) {
      problems.add(key + ": \"" + value + "\" (expected: a duration like 500ms, 2s, 1m; a bare number is ms)");
      return fallback;
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofMillis(amount);
    };
  }
}
