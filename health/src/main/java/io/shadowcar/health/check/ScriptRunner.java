package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.process.BoundedProcessRunner;
import io.shadowcar.health.process.ProcessOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs check commands through a {@link BoundedProcessRunner} (own process group, whole group killed on timeout,
 * leftovers killed at exit, last 4 KiB of output), one blocking thread per run from a named, bounded executor (never
 * an event loop), and maps the outcome to a {@link CheckResult} the Consul way. A run's future completes only after
 * the process has been reaped, so a scheduler that waits for it never overlaps two runs of one check.
 */
public final class ScriptRunner implements AutoCloseable {

  private final ExecutorService executor;
  private final BoundedProcessRunner processes;

  /**
   * @param executor runs the blocking part (start, read, wait) of each run; size it to the number of script checks
   * @param timer fires timeouts; its tasks only kill processes
   */
  public ScriptRunner(ExecutorService executor, ScheduledExecutorService timer, int outputCapacity) {
    this.executor = executor;
    this.processes = new BoundedProcessRunner(timer, outputCapacity);
  }

  /** Whether commands get their own process group (util-linux {@code setsid} was found). */
  public boolean isolatesProcessGroups() {
    return processes.isolatesProcessGroups();
  }

  /** Runs {@code command} (no shell) with a time limit; the future never completes exceptionally. */
  public CompletableFuture<CheckResult> run(List<String> command, Duration timeout) {
    try {
      return CompletableFuture.supplyAsync(() -> resultOf(command, timeout, processes.run(command, timeout)),
          executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(
          new CheckResult(CheckStatus.CRITICAL, "Script runner busy or stopped: run skipped", Duration.ZERO));
    }
  }

  private static CheckResult resultOf(List<String> command, Duration timeout, ProcessOutcome outcome) {
    String text = outcome.output();
    return switch (outcome.ending()) {
      case NOT_STARTED -> new CheckResult(CheckStatus.CRITICAL, "Cannot start " + command.get(0) + ": " + text,
          outcome.took());
      case TIMED_OUT -> new CheckResult(CheckStatus.CRITICAL, CheckResult.timedOut(timeout) + "\n" + text,
          outcome.took());
      case EXITED, STOPPED -> {
        int exitCode = outcome.exitCode();
        if (exitCode > 1) {
          text = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "Exit code " + exitCode
              + (exitCode > 128 ? " (signal " + (exitCode - 128) + ")" : "");
        }
        yield new CheckResult(CheckResult.statusOfExitCode(exitCode), text, outcome.took());
      }
    };
  }

  /** Kills every script still running (with its group); their runs then complete as their processes are reaped. */
  @Override
  public void close() {
    processes.close();
  }
}
