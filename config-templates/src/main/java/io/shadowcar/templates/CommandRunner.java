package io.shadowcar.templates;

import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.health.process.BoundedProcessRunner;
import io.shadowcar.health.process.CapturedOutput;
import io.shadowcar.health.process.ProcessOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Runs a template's command under {@code /bin/sh -c} through a {@link BoundedProcessRunner} (own process group,
 * whole group killed on timeout, leftovers killed when the shell exits, last 4 KiB of output) and maps the outcome
 * to a {@link CommandResult}. Blocking: call on a worker thread, never an event loop. Not for commands meant to leave
 * a daemon running: whatever the shell started is killed when it exits.
 */
final class CommandRunner implements AutoCloseable {

  static final int OUTPUT_LIMIT = CapturedOutput.DEFAULT_CAPACITY;

  /**
   * Fires command timeouts for every renderer and the CLI; its tasks only kill processes. Created once, its daemon
   * thread only starts with the first command, so there is nothing to shut down.
   */
  private static final ScheduledExecutorService TIMER = newTimer();

  private final Clock clock;
  private final BoundedProcessRunner processes = new BoundedProcessRunner(TIMER, OUTPUT_LIMIT);

  CommandRunner(Clock clock) {
    this.clock = clock;
  }

  CommandResult run(String command, Duration timeout) {
    Instant start = clock.instant();
    ProcessOutcome outcome = processes.run(List.of("/bin/sh", "-c", command), timeout);
    Duration took = Duration.between(start, clock.instant());
    return switch (outcome.ending()) {
      case EXITED -> new CommandResult(outcome.exitCode(),
          outcome.exitCode() == 0 ? CommandResult.Outcome.OK : CommandResult.Outcome.FAILED, outcome.output(), start,
          took);
      case TIMED_OUT -> new CommandResult(-1, CommandResult.Outcome.TIMED_OUT,
          "Timed out (" + timeout.toMillis() + "ms)\n" + outcome.output(), start, took);
      case STOPPED -> new CommandResult(-1, CommandResult.Outcome.FAILED,
          "Interrupted (sidecar stopping)\n" + outcome.output(), start, took);
      case NOT_STARTED -> new CommandResult(-1, CommandResult.Outcome.FAILED,
          "cannot start /bin/sh: " + outcome.output(), start, took);
    };
  }

  /** Kills a running command (with its group); a later {@link #run} starts nothing and fails. */
  @Override
  public void close() {
    processes.close();
  }

  private static ScheduledExecutorService newTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
        NamedThreadFactory.single("shadowcar-template-command-timer"));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
