package io.shadowcar.health.process;

import java.time.Duration;
import java.util.Objects;

/**
 * How one bounded process run ended.
 *
 * @param ending whether the process exited on its own, was killed at its timeout or because its runner was
 *     closed or its thread interrupted, or never started
 * @param exitCode the process's exit code (128 + signal when killed); -1 when it never started
 * @param output the last bytes of its merged stdout and stderr ({@link CapturedOutput}, prefixed
 *     "Captured X of Y bytes" when cut); when it never started, why
 * @param took from just before the start until the process was reaped
 */
public record ProcessOutcome(Ending ending, int exitCode, String output, Duration took) {

  /** How a run ended. */
  public enum Ending {
    /** Exited by itself, or was killed by someone else than its runner. */
    EXITED,
    /** Still running at its timeout: killed with its process group and reaped. */
    TIMED_OUT,
    /**
     * Killed with its process group and reaped because the runner was closed or the waiting thread interrupted (the
     * interrupt flag stays set).
     */
    STOPPED,
    /** Could not be started (no such file, not executable, ...): {@link #output()} says why. */
    NOT_STARTED
  }

  public ProcessOutcome {
    Objects.requireNonNull(ending, "ending");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(took, "took");
  }
}
