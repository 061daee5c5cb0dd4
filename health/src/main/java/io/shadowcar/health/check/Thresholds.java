package io.shadowcar.health.check;

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
    if (passesBeforePassing < 1) {
      throw new IllegalArgumentException("passesBeforePassing: " + passesBeforePassing + " (expected: >= 1)");
    }
    if (failuresBeforeCritical < 1) {
      throw new IllegalArgumentException("failuresBeforeCritical: " + failuresBeforeCritical + " (expected: >= 1)");
    }
    if (failuresBeforeWarning < 1 || failuresBeforeWarning > failuresBeforeCritical) {
      throw new IllegalArgumentException("failuresBeforeWarning: " + failuresBeforeWarning
          + " (expected: 1-" + failuresBeforeCritical + ", at most failuresBeforeCritical)");
    }
  }

  /** 3 passes before passing, 3 failures before warning and before critical. */
  public static Thresholds defaults() {
    return new Thresholds(3, 3, 3);
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
