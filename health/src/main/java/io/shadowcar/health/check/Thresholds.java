package io.shadowcar.health.check;

import io.shadowcar.common.config.InvalidValueException;
import io.shadowcar.health.HealthSettings;

/**
 * How many consecutive results move a check's status (Consul's {@code success_before_passing},
 * {@code failures_before_warning}, {@code failures_before_critical}).
 *
 * <p>A passing or warning result adds to the success streak and resets the failure streak; a critical result adds to
 * the failure streak and resets the success streak. Warning counts as success toward the pass streak.
 *
 * @param passesBeforePassing successes in a row before a check shows passing (or warning, if that was the result)
 * @param failuresBeforeWarning failures in a row before a check shows warning
 * @param failuresBeforeCritical failures in a row before a check shows critical
 */
public record Thresholds(int passesBeforePassing, int failuresBeforeWarning, int failuresBeforeCritical) {

  public Thresholds {
    InvalidValueException.check(passesBeforePassing >= 1, "passesBeforePassing", passesBeforePassing, ">= 1");
    InvalidValueException.check(failuresBeforeCritical >= 1, "failuresBeforeCritical", failuresBeforeCritical,
        ">= 1");
    InvalidValueException.check(failuresBeforeWarning >= 1 && failuresBeforeWarning <= failuresBeforeCritical,
        "failuresBeforeWarning", failuresBeforeWarning,
        "1-" + failuresBeforeCritical + ", at most failuresBeforeCritical");
  }

  /** The declared defaults: {@code shadowcar.health.passesBeforeReady} and {@code .failuresBeforeCritical} (3, 3). */
  public static Thresholds defaults() {
    int critical = HealthSettings.FAILURES_BEFORE_CRITICAL.defaultValue();
    return new Thresholds(HealthSettings.PASSES_BEFORE_READY.defaultValue(), critical, critical);
  }

  /**
   * These thresholds with a check's own overrides; {@code null} keeps the value from here. An unset
   * {@code failuresBeforeWarning} becomes {@code min(this.failuresBeforeWarning, effective failuresBeforeCritical)}.
   */
  public Thresholds withOverrides(Integer passes, Integer failuresBeforeWarning, Integer failuresBeforeCritical) {
    int critical = failuresBeforeCritical != null ? failuresBeforeCritical : this.failuresBeforeCritical;
    int warning = failuresBeforeWarning != null
        ? failuresBeforeWarning
        : Math.min(this.failuresBeforeWarning, critical);
    return new Thresholds(passes != null ? passes : passesBeforePassing, warning, critical);
  }
}
