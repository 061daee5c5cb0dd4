package io.shadowcar.health.check;

import io.shadowcar.common.config.InvalidValueException;
import io.shadowcar.health.HealthSettings;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configured check ({@code shadowcar.checks.NAME.*}). Built by the launcher from local configuration only.
 *
 * @param name unique, {@code [A-Za-z0-9_.-]+}: it is a URL path segment and a metric tag
 * @param target what to probe
 * @param interval gap between the end of one run and the start of the next (>= 1 s); the first run starts after a
 *     random stagger within one interval. Ignored for TTL checks.
 * @param timeout time limit of one run; a script is killed with its whole process group on expiry
 * @param thresholds this check's streak thresholds (global defaults with its overrides)
 */
public record CheckDefinition(
    String name, CheckTarget target, Duration interval, Duration timeout, Thresholds thresholds) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  /** Default {@code .interval.ms}, as declared. */
  public static final Duration DEFAULT_INTERVAL = HealthSettings.CHECK_INTERVAL.defaultValue();
  /** Default {@code .timeout.ms} for script checks (Consul's). */
  public static final Duration DEFAULT_SCRIPT_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@code .timeout.ms} for HTTP and TCP checks (Consul's). */
  public static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(10);

  public CheckDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(thresholds, "thresholds");
    InvalidValueException.check(NAME.matcher(name).matches(), "name", name, "letters, digits, '_', '.', '-'");
    InvalidValueException.check(interval.compareTo(Duration.ofSeconds(1)) >= 0, "interval", interval.toMillis(),
        "milliseconds >= 1000");
    InvalidValueException.check(!timeout.isNegative() && !timeout.isZero(), "timeout", timeout.toMillis(),
        "milliseconds > 0");
  }

  /** A check with the default interval and the default timeout of its kind. */
  public static CheckDefinition of(String name, CheckTarget target, Thresholds thresholds) {
    return new CheckDefinition(name, target, DEFAULT_INTERVAL, defaultTimeout(target.kind()), thresholds);
  }

  /** 30 s for scripts (Consul's), 10 s for the others: the default of {@code .timeout.ms}, which depends on the kind. */
  public static Duration defaultTimeout(CheckKind kind) {
    return kind == CheckKind.SCRIPT ? DEFAULT_SCRIPT_TIMEOUT : DEFAULT_NETWORK_TIMEOUT;
  }

  public CheckKind kind() {
    return target.kind();
  }
}
