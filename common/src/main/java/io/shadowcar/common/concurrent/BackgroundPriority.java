package io.shadowcar.common.concurrent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling priority (Linux nice value) of the threads that do shadow work: sending copies, reading the shadow's
 * answers, the diff and its store. When the cores are busy, the kernel then runs the threads that serve callers first,
 * and a burst of shadow work (a slow shadow's pool answering all at once, once a second) is spread over the time the
 * callers leave free instead of taking a core from them for those milliseconds.
 *
 * <p>Java has no call for a thread's nice value, so each such thread looks up its own kernel thread id
 * ({@code /proc/thread-self}) when it starts and has {@code renice} set it ({@code renice PRIORITY -p TID}: absolute,
 * as util-linux and BusyBox both read it; an unprivileged process may always lower its own threads' priority). Where
 * that is not possible (not Linux, no {@code renice}) the threads keep the process's priority, said once in the log.
 *
 * <p>Off (nice 0, threads untouched) until {@link #configure} sets a value: the sidecar does, from its configuration,
 * before it starts any such thread.
 */
public final class BackgroundPriority {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);
  /** The kernel's lowest priority. */
  public static final int MAX_NICE = 19;
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");
  private static final long RENICE_TIMEOUT_SECONDS = 5;
  private static final AtomicBoolean UNAVAILABLE_LOGGED = new AtomicBoolean();

  private static volatile int nice;

  private BackgroundPriority() {}

  /** Sets the nice value threads started later take ({@link #lowering}); 0 leaves them as they are. */
  public static void configure(int niceValue) {
    if (niceValue < 0 || niceValue > MAX_NICE) {
      throw new IllegalArgumentException("nice: " + niceValue + " (expected: 0-" + MAX_NICE + ")");
    }
    nice = niceValue;
  }

  /** {@code body}, run by a thread that first lowers its own priority to the configured value. */
  public static Runnable lowering(Runnable body) {
    return () -> {
      lowerCurrentThread();
      body.run();
    };
  }

  /**
   * Sets the calling thread's nice value to the configured one, unless it is already there or lower (a process started
   * with {@code nice -n 15} keeps 15: raising a priority is the superuser's).
   *
   * @return whether the thread's priority is now the configured one or lower ({@code true} when off)
   */
  public static boolean lowerCurrentThread() {
    int value = nice;
    if (value == 0 || currentThreadNice().orElse(0) >= value) {
      return true;
    }
    String tid;
    try {
      tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString(); // "<pid>/task/<tid>"
    } catch (IOException | UnsupportedOperationException e) {
      unavailable("no " + THREAD_SELF + " (" + e.getMessage() + ")");
      return false;
    }
    try {
      Process renice = new ProcessBuilder("renice", Integer.toString(value), "-p", tid)
          .redirectErrorStream(true).start();
      boolean ended = renice.waitFor(RENICE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      String output = ended ? new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim() : "";
      if (!ended) {
        renice.destroyForcibly();
        unavailable("renice did not end within " + RENICE_TIMEOUT_SECONDS + " s");
        return false;
      }
      if (renice.exitValue() != 0) {
        unavailable("renice exited with " + renice.exitValue() + ": " + output);
        return false;
      }
      return true;
    } catch (IOException e) {
      unavailable("renice could not run (" + e.getMessage() + ")");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The nice value of the calling thread, as the kernel reports it; empty where it cannot be read. */
  public static OptionalInt currentThreadNice() {
    return threadNice(THREAD_SELF);
  }

  /**
   * The nice value of the thread whose {@code /proc} directory is {@code taskDir} (e.g. {@code /proc/self/task/TID}),
   * as the kernel reports it; empty where it cannot be read (the thread ended, no {@code /proc}).
   */
  public static OptionalInt threadNice(Path taskDir) {
    try {
      // "tid (comm) state ...": comm may hold spaces and parentheses, so the fields are counted from the last ')'
      String stat = Files.readString(taskDir.resolve("stat"), StandardCharsets.UTF_8);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return OptionalInt.of(Integer.parseInt(fields[16])); // field 19 of the whole line
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  private static void unavailable(String why) {
    if (UNAVAILABLE_LOGGED.compareAndSet(false, true)) {
      LOG.warn("shadow work keeps the process's scheduling priority (shadowcar.shadow.threadNice={} not applied): {}",
          nice, why);
    }
  }
}
