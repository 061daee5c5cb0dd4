package io.shadowcar.health.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one child process with a time limit and keeps the tail of its output: the single place where the health
 * module starts processes (check scripts, template commands). Each process runs in its own session and process
 * group (through util-linux {@code setsid}, when found) so that a timeout kills the whole tree, double-forked
 * grandchildren included; without {@code setsid} only live descendants can be killed. Processes a command leaves
 * behind in its group are killed as soon as it exits (they would hold its output pipe open), and every process is
 * reaped before {@link #run} returns.
 *
 * <p>stdout and stderr are merged through a pipe into a {@link CapturedOutput} (last {@code outputCapacity} bytes,
 * memory-bounded, nothing on disk); stdin is {@code /dev/null}.
 *
 * <p>Blocking: call {@link #run} on a worker thread, never an event loop. Not for long-lived children (daemons):
 * anything still running in the group when the command exits is killed.
 */
public final class BoundedProcessRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedProcessRunner.class);
  private static final File NO_INPUT = new File("/dev/null");

  private final ScheduledExecutorService timer;
  private final int outputCapacity;
  private final Optional<String> setsid;
  private final Set<Run> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param timer fires timeouts and the kill of leftovers after exit; its tasks only kill processes
   * @param outputCapacity how many bytes of output to keep (the last ones), > 0
   */
  public BoundedProcessRunner(ScheduledExecutorService timer, int outputCapacity) {
    if (outputCapacity < 1) {
      throw new IllegalArgumentException("outputCapacity: " + outputCapacity + " (expected: > 0)");
    }
    this.timer = Objects.requireNonNull(timer, "timer");
    this.outputCapacity = outputCapacity;
    this.setsid = findSetsid();
    if (setsid.isEmpty()) {
      LOG.warn("setsid (util-linux) not found: timed-out commands are killed with their live descendants only");
    }
  }

  /** Whether processes get their own process group (util-linux {@code setsid} was found). */
  public boolean isolatesProcessGroups() {
    return setsid.isPresent();
  }

  /**
   * Runs {@code argv} (no shell) and blocks until the process has exited and been reaped: by itself, killed at
   * {@code timeout}, or killed because this runner was closed or this thread interrupted. Never throws for a process
   * that fails.
   */
  public ProcessOutcome run(List<String> argv, Duration timeout) {
    long startNanos = System.nanoTime();
    if (closed) {
      return new ProcessOutcome(ProcessOutcome.Ending.NOT_STARTED, -1, "runner closed", elapsed(startNanos));
    }
    List<String> command = new ArrayList<>();
    setsid.ifPresent(command::add);
    command.addAll(argv);
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
          .start();
    } catch (IOException | RuntimeException e) {
      return new ProcessOutcome(ProcessOutcome.Ending.NOT_STARTED, -1, String.valueOf(e.getMessage()),
          elapsed(startNanos));
    }
    Run run = new Run(process);
    running.add(run);
    try {
      if (closed || Thread.currentThread().isInterrupted()) {
        // close() may have missed this run; a pipe read cannot be interrupted: stop it now rather than at timeout.
        run.end(ProcessOutcome.Ending.STOPPED);
      }
      ScheduledFuture<?> killer = armTimeout(run, timeout);
      CapturedOutput output = new CapturedOutput(outputCapacity);
      readAll(process.getInputStream(), output);
      int exitCode = waitForExit(run);
      if (killer != null) {
        killer.cancel(false);
      }
      ProcessOutcome.Ending killedFor = run.killedFor.get();
      return new ProcessOutcome(killedFor == null ? ProcessOutcome.Ending.EXITED : killedFor, exitCode,
          output.toString(), elapsed(startNanos));
    } finally {
      running.remove(run);
    }
  }

  /** One started process and why it was killed, if it was. */
  private final class Run {
    final Process process;
    /** Null while nobody killed it; else the first reason (TIMED_OUT or STOPPED). */
    final AtomicReference<ProcessOutcome.Ending> killedFor = new AtomicReference<>();

    Run(Process process) {
      this.process = process;
    }

    /** Records why (unless already killed), then SIGKILLs the process, its descendants and its group. */
    void end(ProcessOutcome.Ending why) {
      killedFor.compareAndSet(null, why);
      ProcessKiller.killTree(process.toHandle(), setsid.isPresent());
    }
  }

  /** Schedules the timeout kill and the kill of leftovers at exit; null when the timer is gone (then stops now). */
  private ScheduledFuture<?> armTimeout(Run run, Duration timeout) {
    try {
      ScheduledFuture<?> killer = timer.schedule(() -> run.end(ProcessOutcome.Ending.TIMED_OUT), timeout.toMillis(),
          TimeUnit.MILLISECONDS);
      // A background child that keeps the pipe open would block the read until the timeout: kill the leftovers of
      // the group as soon as the command itself exits.
      run.process.onExit().thenRunAsync(() -> {
        if (setsid.isPresent()) {
          ProcessKiller.killGroup(run.process.pid());
        }
      }, timer);
      return killer;
    } catch (RejectedExecutionException e) {
      // The owner is stopping: no timer left to bound the run, so end it now (it is still reaped below).
      run.end(ProcessOutcome.Ending.STOPPED);
      return null;
    }
  }

  private int waitForExit(Run run) {
    boolean interrupted = false;
    while (true) {
      try {
        int code = run.process.waitFor();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return code;
      } catch (InterruptedException e) {
        // Never leave a process behind unreaped: kill it and keep waiting.
        interrupted = true;
        run.end(ProcessOutcome.Ending.STOPPED);
      }
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

  /**
   * Kills every process still running (with its group); their {@link #run} calls return {@code STOPPED} as they are
   * reaped, and later calls start nothing.
   */
  @Override
  public void close() {
    closed = true;
    running.forEach(run -> run.end(ProcessOutcome.Ending.STOPPED));
  }
}
