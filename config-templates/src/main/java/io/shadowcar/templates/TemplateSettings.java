package io.shadowcar.templates;

import io.shadowcar.common.config.Setting;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every key of a templated file, declared once: the {@code shadowcar.templates.NAME.*} family. {@link TemplateBinder}
 * reads them. Durations are milliseconds ({@code 500}) or a number with a unit {@code ms}, {@code s}, {@code m},
 * {@code h} ({@code 2s}).
 */
public final class TemplateSettings {

  /** Family prefix; the segment after it is the template's name. */
  public static final String TEMPLATES = "shadowcar.templates.";

  private static final String DURATION_EXPECTED = "a duration like 500ms, 2s, 1m; a bare number is ms";
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

  public static final Setting<Path> SOURCE = Setting.of(TEMPLATES + "NAME.source", null, "a file path", Path::of,
      "the *.template file (${key}, ${key:default}), re-read at every render");
  public static final Setting<Path> TARGET = Setting.of(TEMPLATES + "NAME.target", null, "a file path", Path::of,
      "the file written whenever a key the template uses changes");
  public static final Setting<String> COMMAND = Setting.string(TEMPLATES + "NAME.command", null,
      "run under /bin/sh -c after the target was written; blank = none");
  public static final Setting<Optional<Set<PosixFilePermission>>> PERMS = Setting.of(TEMPLATES + "NAME.perms", "",
      "octal mode like 0640", raw -> raw.isEmpty() ? Optional.empty() : Optional.of(TemplateConfig.parsePerms(raw)),
      "permissions set at every write; empty keeps the target's (0644 for a new file)");
  public static final Setting<Duration> WAIT_MIN = duration(TEMPLATES + "NAME.wait.min", "0",
      "quiet period: render once no used key changed for this long");
  public static final Setting<Duration> WAIT_MAX = duration(TEMPLATES + "NAME.wait.max", null,
      "render at the latest this long after a burst's first change; unset = 4 x wait.min");
  public static final Setting<Boolean> BACKUP = Setting.bool(TEMPLATES + "NAME.backup", false,
      "copy the previous target to target.bak before replacing it");
  public static final Setting<Duration> COMMAND_TIMEOUT = duration(TEMPLATES + "NAME.command.timeout", "30000",
      "the command and every process it started is killed after this long");
  public static final Setting<Boolean> IN_PLACE_FALLBACK = Setting.bool(TEMPLATES + "NAME.inPlaceFallback", false,
      "write in place (not atomic) where the target cannot be renamed over (a bind-mounted file)");

  private TemplateSettings() {}

  public static List<Setting<?>> all() {
    return List.of(SOURCE, TARGET, COMMAND, PERMS, WAIT_MIN, WAIT_MAX, BACKUP, COMMAND_TIMEOUT, IN_PLACE_FALLBACK);
  }

  private static Setting<Duration> duration(String key, String defaultText, String description) {
    return Setting.of(key, defaultText, DURATION_EXPECTED, TemplateSettings::parseDuration, description);
  }

  /** {@code 500}, {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}; null when not a duration. */
  static Duration parseDuration(String raw) {
    Matcher m = DURATION.matcher(raw.strip());
    if (!m.matches()) {
      return null;
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
