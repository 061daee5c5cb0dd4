package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import java.time.Duration;
import java.util.Objects;

/**
 * The raw outcome of one run of a check, before thresholds.
 *
 * @param status what this run found
 * @param output captured output (at most {@link io.shadowcar.health.process.CapturedOutput#DEFAULT_CAPACITY} bytes
 *     plus a prefix when cut)
 * @param duration how long the run took
 */
public record CheckResult(CheckStatus status, String output, Duration duration) {

  public CheckResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(duration, "duration");
  }

  /** Maps a Consul/Nagios exit code: 0 passing, 1 warning, anything else critical. */
  public static CheckStatus statusOfExitCode(int exitCode) {
    return switch (exitCode) {
      case 0 -> CheckStatus.PASSING;
      case 1 -> CheckStatus.WARNING;
      default -> CheckStatus.CRITICAL;
    };
  }

  /** "Timed out (30s)" or "Timed out (1.5s)". */
  public static String timedOut(Duration timeout) {
    long ms = timeout.toMillis();
    String seconds = ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    return "Timed out (" + seconds + "s)";
  }
}
