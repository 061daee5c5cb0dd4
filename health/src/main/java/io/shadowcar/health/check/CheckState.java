package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The thresholded state of one check (Consul's StatusHandler semantics). Starts critical with no result. Not
 * thread-safe: the owner serialises {@link #apply} calls; {@link #view()} returns an immutable copy.
 */
public final class CheckState {

  private final CheckDefinition definition;
  private CheckStatus status = CheckStatus.CRITICAL;
  private CheckResult lastResult;
  private Instant lastRun;
  private int successStreak;
  private int failureStreak;
  private long runs;

  public CheckState(CheckDefinition definition) {
    this.definition = Objects.requireNonNull(definition, "definition");
  }

  /** Feeds one result through the thresholds; returns the (possibly unchanged) status. */
  public CheckStatus apply(CheckResult result, Instant at) {
    lastResult = result;
    lastRun = at;
    runs++;
    Thresholds thresholds = definition.thresholds();
    if (result.status() != CheckStatus.CRITICAL) {
      successStreak++;
      failureStreak = 0;
      if (successStreak >= thresholds.passesBeforePassing()) {
        status = result.status();
      }
    } else {
      failureStreak++;
      successStreak = 0;
      if (failureStreak >= thresholds.failuresBeforeCritical()) {
        status = CheckStatus.CRITICAL;
      } else if (failureStreak >= thresholds.failuresBeforeWarning()) {
        status = CheckStatus.WARNING;
      }
    }
    return status;
  }

  /** Sets critical at once, whatever the thresholds (a missed TTL). */
  public CheckStatus forceCritical(CheckResult result, Instant at) {
    lastResult = result;
    lastRun = at;
    runs++;
    successStreak = 0;
    failureStreak++;
    status = CheckStatus.CRITICAL;
    return status;
  }

  public CheckStatus status() {
    return status;
  }

  public CheckDefinition definition() {
    return definition;
  }

  public CheckView view() {
    return new CheckView(definition.name(), definition.kind(), definition.target().describe(), status,
        lastResult == null ? null : lastResult.status(),
        lastResult == null ? "No result yet" : lastResult.output(),
        lastResult == null ? null : lastResult.duration(),
        lastRun, successStreak, failureStreak, runs, definition.thresholds());
  }
}
