package io.shadowcar.health;

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
 * The health agent's configuration, bound by the launcher from local configuration.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code shadowcar.health.passesBeforeReady} (3)</td><td>{@code thresholds.passesBeforePassing}</td></tr>
 *   <tr><td>{@code shadowcar.health.failuresBeforeWarning} (= failuresBeforeCritical)</td>
 *       <td>{@code thresholds.failuresBeforeWarning}</td></tr>
 *   <tr><td>{@code shadowcar.health.failuresBeforeCritical} (3)</td>
 *       <td>{@code thresholds.failuresBeforeCritical}</td></tr>
 *   <tr><td>{@code shadowcar.health.warningStatusCode} (429)</td><td>{@code warningStatusCode}</td></tr>
 *   <tr><td>{@code shadowcar.killswitch.file} (empty)</td><td>{@code killSwitchFile}</td></tr>
 *   <tr><td>{@code shadowcar.killswitch.pollMs} (1000)</td><td>{@code killSwitchPoll}</td></tr>
 *   <tr><td>{@code shadowcar.checks.NAME.*}</td><td>{@code checks}</td></tr>
 * </table>
 *
 * @param thresholds global defaults for every check's thresholds (per-check keys override them)
 * @param killSwitchFile while this file exists the instance is OUT_OF_SERVICE; empty = no kill switch file
 * @param killSwitchPoll how often the kill switch file is looked at
 * @param warningStatusCode what {@code /healthcheck} answers while warning: 429 (Consul) or 200 (for load balancers
 *     that only know 200)
 * @param checks the checks, in display order
 */
public record HealthConfig(
    Thresholds thresholds,
    Optional<Path> killSwitchFile,
    Duration killSwitchPoll,
    int warningStatusCode,
    List<CheckDefinition> checks) {

  public HealthConfig {
    Objects.requireNonNull(thresholds, "thresholds");
    Objects.requireNonNull(killSwitchFile, "killSwitchFile");
    Objects.requireNonNull(killSwitchPoll, "killSwitchPoll");
    Objects.requireNonNull(checks, "checks");
    if (killSwitchPoll.toMillis() < 10) {
      throw new IllegalArgumentException("killSwitchPoll: " + killSwitchPoll.toMillis() + " ms (expected: >= 10)");
    }
    if (warningStatusCode != 200 && warningStatusCode != 429) {
      throw new IllegalArgumentException("warningStatusCode: " + warningStatusCode + " (expected: 200 or 429)");
    }
    checks = List.copyOf(checks);
    Set<String> names = new HashSet<>();
    for (CheckDefinition check : checks) {
      if (!names.add(check.name())) {
        throw new IllegalArgumentException("checks: '" + check.name() + "' defined twice (expected: unique names)");
      }
    }
  }

  /** Default thresholds, no kill switch file, polled every second, 429 while warning, no checks. */
  public static HealthConfig defaults() {
    return new HealthConfig(Thresholds.defaults(), Optional.empty(), Duration.ofSeconds(1), 429, List.of());
  }

  public HealthConfig withChecks(List<CheckDefinition> checks) {
    return new HealthConfig(thresholds, killSwitchFile, killSwitchPoll, warningStatusCode, checks);
  }

  public HealthConfig withKillSwitchFile(Path file) {
    return new HealthConfig(thresholds, Optional.of(file), killSwitchPoll, warningStatusCode, checks);
  }

  public HealthConfig withWarningStatusCode(int code) {
    return new HealthConfig(thresholds, killSwitchFile, killSwitchPoll, code, checks);
  }
}
