package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs check commands as child processes, one blocking thread per run from a named, bounded executor (never an event
 * loop). Each command runs in its own session and process group (through util-linux {@code setsid}) so that a
 * timeout kills the whole tree, grandchildren included; without {@code setsid} only live descendants can be killed.
 *
 * <p>stdout and stderr are merged into a {@link CapturedOutput} keeping the last 4 KiB. A run's future completes
 * only after the process has exited, so a scheduler that waits for it never overlaps two runs of one check.
 * Processes a command leaves behind in its group are killed when it exits (a check must not leave daemons holding
 * its output pipe).
 */
public final class ScriptRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);

  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private final Optional<String> setsid;
  private final int outputCapacity;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();

  /**
   * @param executor runs the blocking part (start, read, wait) of each run; size it to the number of script checks
   * @param timer fires timeouts; its tasks only kill processes
   */
  public ScriptRunner(ExecutorService executor, ScheduledExecutorService timer, int outputCapacity) {
    this.executor = executor;
    this.timer = timer;
    this.outputCapacity = outputCapacity;
    this.setsid = findSetsid();
    if (setsid.isEmpty()) {
      LOG.warn("setsid (util-linux) not found: timed-out check scripts are killed with their live descendants only");
    }
  }

  /** Whether commands get their own process group (util-linux {@code setsid} was found). */
  public boolean isolatesProcessGroups() {
    return setsid.isPresent();
  }

  /** Runs {@code command} (no shell) with a time limit; the future never completes exceptionally. */
  public CompletableFuture<CheckResult> run(List<String> command, Duration timeout) {
    try {
      return CompletableFuture.supplyAsync(() -> runBlocking(command, timeout), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(
          new CheckResult(CheckStatus.CRITICAL, "Script runner busy or stopped: run skipped", Duration.ZERO));
    }
  }

  private CheckResult runBlocking(List<String> command, Duration timeout) {
    long startNanos = System.nanoTime();
    List<String> argv = new ArrayList<>();
    setsid.ifPresent(argv::add);
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return new CheckResult(CheckStatus.CRITICAL, "Cannot start " + command.get(0) + ": " + e.getMessage(),
          elapsed(startNanos));
    }
    running.add(process);
    CapturedOutput output = new CapturedOutput(outputCapacity);
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> killer;
    try {
      killer = timer.schedule(() -> {
        timedOut.set(true);
        ProcessKiller.killTree(process.toHandle(), setsid.isPresent());
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      // A background child that keeps the pipe open would block the read below until the timeout: kill leftovers
      // of the group as soon as the command itself exits.
      process.onExit().thenRunAsync(() -> {
        if (setsid.isPresent()) {
          ProcessKiller.killGroup(process.pid());
        }
      }, timer);
    } catch (RejectedExecutionException e) {
      // The agent is stopping: no timer left to bound the run, so end it now and still reap it below.
      killer = null;
      ProcessKiller.killTree(process.toHandle(), setsid.isPresent());
    }
    try {
      closeQuietly(process);
      readAll(process.getInputStream(), output);
      int exitCode = waitForExit(process);
      if (killer != null) {
        killer.cancel(false);
      }
      Duration duration = elapsed(startNanos);
      if (timedOut.get()) {
        return new CheckResult(CheckStatus.CRITICAL, CheckResult.timedOut(timeout) + "\n" + output, duration);
      }
      String text = output.toString();
      if (exitCode > 1) {
        text = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "Exit code " + exitCode
            + (exitCode > 128 ? " (signal " + (exitCode - 128) + ")" : "");
      }
      return new CheckResult(CheckResult.statusOfExitCode(exitCode), text, duration);
    } finally {
      running.remove(process);
    }
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close(); // checks get no stdin: EOF at once
    } catch (IOException e) {
      // the process already exited
    }
  }

  private static void readAll(InputStream in, CapturedOutput output) {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        output.write(buffer, 0, n);
      }
    } catch (IOException e) {
      output.write("\n[output read failed: " + e.getMessage() + "]");
    }
  }

  private int waitForExit(Process process) {
    boolean interrupted = false;
    while (true) {
      try {
        int code = process.waitFor();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return code;
      } catch (InterruptedException e) {
        // Never leave a process behind unreaped: kill it and keep waiting.
        interrupted = true;
        ProcessKiller.killTree(process.toHandle(), setsid.isPresent());
      }
    }
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static Optional<String> findSetsid() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    List<String> dirs = new ArrayList<>(List.of(path.split(":")));
    dirs.addAll(List.of("/usr/bin", "/bin"));
    return dirs.stream()
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "setsid"))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst();
  }

  /** Kills every process still running (with its tree); their runs then complete as their processes exit. */
  @Override
  public void close() {
    for (Process process : running) {
      ProcessKiller.killTree(process.toHandle(), setsid.isPresent());
    }
  }
}
