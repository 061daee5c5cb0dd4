package io.shadowcar.health.template;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a template's command under {@code /bin/sh -c} with a timeout, and keeps the tail of its output. Output goes
 * to a temporary file rather than a pipe, so no reader thread is needed and a chatty command can never block on a
 * full pipe. On timeout the shell and every process it started are killed (SIGKILL) and waited for.
 * Blocking: call on a worker thread, never an event loop.
 */
final class CommandRunner {

  static final int OUTPUT_LIMIT = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
  private static final Duration REAP_LIMIT = Duration.ofSeconds(5);

  private final Clock clock;

  CommandRunner(Clock clock) {
    this.clock = clock;
  }

  CommandResult run(String command, Duration timeout) {
    Instant start = clock.instant();
    Path output;
    try {
      output = Files.createTempFile("shadowcar-template-command-", ".out");
    } catch (IOException e) {
      return failedToStart(start, "cannot create output file: " + TargetWriter.reason(e));
    }
    try {
      Process process;
      try {
        process = new ProcessBuilder("/bin/sh", "-c", command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
      } catch (IOException e) {
        return failedToStart(start, "cannot start /bin/sh: " + TargetWriter.reason(e));
      }
      boolean exited;
      try {
        exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        killTree(process);
        Thread.currentThread().interrupt();
        return new CommandResult(-1, CommandResult.Outcome.FAILED, "Interrupted (sidecar stopping)\n" + tail(output),
            start, Duration.between(start, clock.instant()));
      }
      if (!exited) {
        killTree(process);
        return new CommandResult(-1, CommandResult.Outcome.TIMED_OUT,
            "Timed out (" + timeout.toMillis() + "ms)\n" + tail(output), start, Duration.between(start, clock.instant()));
      }
      int code = process.exitValue();
      return new CommandResult(code, code == 0 ? CommandResult.Outcome.OK : CommandResult.Outcome.FAILED,
          tail(output), start, Duration.between(start, clock.instant()));
    } finally {
      try {
        Files.deleteIfExists(output);
      } catch (IOException e) {
        LOG.warn("cannot delete command output file {}: {}", output, e.toString());
      }
    }
  }

  /** Kills the shell first so it starts nothing new, then everything it had started, then reaps the shell. */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      if (!process.waitFor(REAP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("command process {} did not exit after SIGKILL", process.pid());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private CommandResult failedToStart(Instant start, String why) {
    return new CommandResult(-1, CommandResult.Outcome.FAILED, why, start, Duration.between(start, clock.instant()));
  }

  /** The last {@link #OUTPUT_LIMIT} bytes, with a prefix saying how much was cut. */
  static String tail(Path file) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long size = raf.length();
      int keep = (int) Math.min(size, OUTPUT_LIMIT);
      byte[] bytes = new byte[keep];
      raf.seek(size - keep);
      raf.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return size > keep ? "Captured " + keep + " of " + size + " bytes\n" + text : text;
    } catch (IOException e) {
      return "(output unreadable: " + TargetWriter.reason(e) + ")";
    }
  }
}
