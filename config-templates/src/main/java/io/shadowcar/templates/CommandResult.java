package io.shadowcar.templates;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * How a template's command ended.
 *
 * @param exitCode the process's exit code; -1 when it timed out or could not start
 * @param outcome ok (exit 0), failed (non-zero exit or could not start) or timed out (killed with its children)
 * @param output the last {@value CommandRunner#OUTPUT_LIMIT} bytes of stdout and stderr, prefixed
 *     "Captured X of Y bytes" when cut; or why the command could not start
 * @param startedAt when it started
 * @param took how long it ran
 */
public record CommandResult(int exitCode, Outcome outcome, String output, Instant startedAt, Duration took) {

  /** The {@code result} tag of the commands metric. */
  public enum Outcome {
    OK,
    FAILED,
    TIMED_OUT;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public CommandResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(took, "took");
  }
}
