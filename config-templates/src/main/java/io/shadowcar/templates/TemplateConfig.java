package io.shadowcar.templates;

import io.shadowcar.common.config.InvalidValueException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One templated file: render {@code source} to {@code target} whenever a key it uses changes, then run {@code command}.
 * Bound from {@code shadowcar.templates.NAME.*} ({@link TemplateSettings}) by {@link TemplateBinder}, which maps a
 * field the compact constructor rejects to its key.
 *
 * @param name the {@code NAME} in the keys; also the {@code template} metric tag, so letters, digits, '-' and '_' only
 * @param source the {@code *.template} file (UTF-8), re-read at every render
 * @param target the file to write; a symbolic link is written through, never replaced
 * @param command run under {@code /bin/sh -c} after the target was written (not when its bytes did not change)
 * @param perms permissions to set on every write; empty keeps the target's current ones ({@code 0644} for a new file)
 * @param waitMin quiet period: render only once no used key changed for this long (0 renders at once)
 * @param waitMax render at the latest this long after the first change of a burst, however busy the keys are
 * @param backup copy the previous target to {@code target.bak} before replacing it
 * @param commandTimeout the command and every process it started is killed after this long
 * @param inPlaceFallback where the target cannot be replaced by a rename (a bind-mounted single file), truncate and
 *     write it in place instead of failing; not atomic: a reader can see a partial file
 */
public record TemplateConfig(
    String name,
    Path source,
    Path target,
    Optional<String> command,
    Optional<Set<PosixFilePermission>> perms,
    Duration waitMin,
    Duration waitMax,
    boolean backup,
    Duration commandTimeout,
    boolean inPlaceFallback) {

  /** The declared default of {@code .command.timeout} (consul-template's 30 s). */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = TemplateSettings.COMMAND_TIMEOUT.defaultValue();

  /** Permissions of a target that did not exist before and has no {@code perms}: consul-template's default. */
  public static final Set<PosixFilePermission> NEW_FILE_PERMS = PosixFilePermissions.fromString("rw-r--r--");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
  private static final Pattern OCTAL_PERMS = Pattern.compile("0?[0-7]{3}");

  public TemplateConfig {
    InvalidValueException.check(name != null && NAME.matcher(name).matches(), "name", name,
        "letters, digits, '-' or '_', starting with a letter or digit");
    InvalidValueException.check(source != null, "source", null, "path of a *.template file");
    InvalidValueException.check(target != null, "target", null, "path of the file to write");
    InvalidValueException.check(!target.toAbsolutePath().normalize().equals(source.toAbsolutePath().normalize()),
        "target", target, "a different file than source");
    InvalidValueException.check(target.getFileName() != null, "target", target, "a file path");
    Objects.requireNonNull(command, "command");
    InvalidValueException.check(command.isEmpty() || !command.get().isBlank(), "command", "",
        "a shell command, or no key at all");
    Objects.requireNonNull(perms, "perms");
    perms = perms.map(Set::copyOf);
    requireNonNegative("waitMin", waitMin);
    requireNonNegative("waitMax", waitMax);
    InvalidValueException.check(waitMax.compareTo(waitMin) >= 0, "waitMax", millis(waitMax),
        ">= wait.min " + millis(waitMin));
    InvalidValueException.check(commandTimeout != null && !commandTimeout.isNegative() && !commandTimeout.isZero(),
        "commandTimeout", commandTimeout == null ? null : millis(commandTimeout), "> 0");
  }

  /**
   * A template with every optional part at its default: no command, permissions kept, no debounce, no backup, 30 s
   * command timeout, no in-place fallback.
   */
  public static TemplateConfig of(String name, Path source, Path target) {
    Duration waitMin = TemplateSettings.WAIT_MIN.defaultValue();
    return new TemplateConfig(name, source, target, Optional.empty(), TemplateSettings.PERMS.defaultValue(), waitMin,
        waitMin, TemplateSettings.BACKUP.defaultValue(), DEFAULT_COMMAND_TIMEOUT,
        TemplateSettings.IN_PLACE_FALLBACK.defaultValue());
  }

  /** consul-template's rule: without an explicit {@code wait.max}, a burst is cut after four times {@code wait.min}. */
  public static Duration defaultWaitMax(Duration waitMin) {
    return waitMin.multipliedBy(4);
  }

  /** Parses {@code perms} as an octal mode ({@code 0640} or {@code 640}); no setuid/setgid/sticky bits. */
  public static Set<PosixFilePermission> parsePerms(String octal) {
    InvalidValueException.check(octal != null && OCTAL_PERMS.matcher(octal.strip()).matches(), "perms", octal,
        "octal mode like 0640");
    int mode = Integer.parseInt(octal.strip(), 8);
    String symbolic = "";
    for (int shift = 6; shift >= 0; shift -= 3) {
      int bits = (mode >> shift) & 7;
      symbolic += ((bits & 4) != 0 ? "r" : "-") + ((bits & 2) != 0 ? "w" : "-") + ((bits & 1) != 0 ? "x" : "-");
    }
    return PosixFilePermissions.fromString(symbolic);
  }

  public TemplateConfig withCommand(String command, Duration timeout) {
    return new TemplateConfig(name, source, target, Optional.of(command), perms, waitMin, waitMax, backup, timeout,
        inPlaceFallback);
  }

  public TemplateConfig withPerms(String octal) {
    return new TemplateConfig(name, source, target, command, Optional.of(parsePerms(octal)), waitMin, waitMax, backup,
        commandTimeout, inPlaceFallback);
  }

  public TemplateConfig withWait(Duration min, Duration max) {
    return new TemplateConfig(name, source, target, command, perms, min, max, backup, commandTimeout,
        inPlaceFallback);
  }

  public TemplateConfig withBackup(boolean keepBackup) {
    return new TemplateConfig(name, source, target, command, perms, waitMin, waitMax, keepBackup, commandTimeout,
        inPlaceFallback);
  }

  public TemplateConfig withInPlaceFallback(boolean fallback) {
    return new TemplateConfig(name, source, target, command, perms, waitMin, waitMax, backup, commandTimeout,
        fallback);
  }

  /** Where {@link #backup()} keeps the previous target. */
  public Path backupPath() {
    return target.resolveSibling(target.getFileName() + ".bak");
  }

  private static void requireNonNegative(String field, Duration value) {
    InvalidValueException.check(value != null && !value.isNegative(), field, value == null ? null : millis(value),
        ">= 0");
  }

  private static String millis(Duration value) {
    return value.toMillis() + "ms";
  }
}
