package io.shadowcar.health;

import io.shadowcar.common.config.InvalidValueException;
import io.shadowcar.health.check.CheckDefinition;
import io.shadowcar.health.check.Thresholds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The health agent's configuration, bound by {@link HealthBinder} from local configuration (keys and defaults:
 * {@link HealthSettings}).
 *
 * @param thresholds global defaults for every check's thresholds (per-check keys override them)
 * @param killSwitchFile while this file exists the instance is OUT_OF_SERVICE; empty = no kill switch file
 * @param killSwitchPoll how often the kill switch file is looked at
 * @param startupInterval until the instance is ready, the gap between two runs of a check (its own interval when that
 *     is shorter), so a start-up waits about {@code passesBeforePassing} of these, not of the checks' intervals
 * @param warningStatusCode what {@code /healthcheck} answers while warning: 429 (Consul) or 200 (for load balancers
 *     that only know 200)
 * @param checks the checks, in display order
 */
public record HealthConfig(
    Thresholds thresholds,
    Optional<Path> killSwitchFile,
    Duration killSwitchPoll,
    Duration startupInterval,
    int warningStatusCode,
    List<CheckDefinition> checks) {

  public HealthConfig {
    Objects.requireNonNull(thresholds, "thresholds");
    Objects.requireNonNull(killSwitchFile, "killSwitchFile");
    Objects.requireNonNull(killSwitchPoll, "killSwitchPoll");
    Objects.requireNonNull(startupInterval, "startupInterval");
    Objects.requireNonNull(checks, "checks");
    InvalidValueException.check(killSwitchPoll.toMillis() >= 10, "killSwitchPoll", killSwitchPoll.toMillis(),
        "milliseconds >= 10");
    InvalidValueException.check(startupInterval.toMillis() >= 100, "startupInterval", startupInterval.toMillis(),
        "milliseconds >= 100");
    InvalidValueException.check(warningStatusCode == 200 || warningStatusCode == 429, "warningStatusCode",
        warningStatusCode, "200 or 429");
    checks = List.copyOf(checks);
    Set<String> names = new HashSet<>();
    for (CheckDefinition check : checks) {
      InvalidValueException.check(names.add(check.name()), "checks", check.name(), "unique check names");
    }
  }

  /**
   * The declared defaults ({@link HealthSettings}): no kill switch file, polled every second, checks every second
   * until ready, 429 while warning.
   */
  public static HealthConfig defaults() {
    return new HealthConfig(Thresholds.defaults(), HealthSettings.KILL_SWITCH_FILE.defaultValue(),
        HealthSettings.KILL_SWITCH_POLL.defaultValue(), HealthSettings.STARTUP_INTERVAL.defaultValue(),
        HealthSettings.WARNING_STATUS_CODE.defaultValue(), List.of());
  }

  public HealthConfig withChecks(List<CheckDefinition> checks) {
    return new HealthConfig(thresholds, killSwitchFile, killSwitchPoll, startupInterval, warningStatusCode, checks);
  }

  public HealthConfig withKillSwitchFile(Path file) {
    return new HealthConfig(thresholds, Optional.of(file), killSwitchPoll, startupInterval, warningStatusCode, checks);
  }

  public HealthConfig withStartupInterval(Duration interval) {
    return new HealthConfig(thresholds, killSwitchFile, killSwitchPoll, interval, warningStatusCode, checks);
  }

  public HealthConfig withWarningStatusCode(int code) {
    return new HealthConfig(thresholds, killSwitchFile, killSwitchPoll, startupInterval, code, checks);
  }
}
