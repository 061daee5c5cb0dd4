package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one check again and again: the first run after a random stagger within the interval (so that checks and
 * sidecars started together do not fire together), each next run one interval after the previous run completed. It
 * re-arms itself only when a run completes, so two runs of one check never overlap.
 *
 * <p>Until the instance is ready the interval is the start-up interval when that is shorter, so a check with a 10 s
 * interval and a pass streak of 3 makes the instance ready in about 3 s, as a Kubernetes {@code startupProbe} expects.
 */
public final class CheckSchedule {

  private static final Logger LOG = LoggerFactory.getLogger(CheckSchedule.class);

  private final CheckDefinition definition;
  private final HealthCheck check;
  private final ScheduledExecutorService timer;
  private final Consumer<CheckResult> results;
  private final BooleanSupplier ready;
  private final long startupIntervalMs;
  private volatile boolean stopped;
  private volatile ScheduledFuture<?> next;

  /** A schedule that always runs at the check's own interval. */
  public CheckSchedule(CheckDefinition definition, HealthCheck check, ScheduledExecutorService timer,
      Consumer<CheckResult> results) {
    this(definition, check, timer, results, () -> true, definition.interval());
  }

  /**
   * @param results told about every run's result, on whichever thread completed the run; must not block
   * @param ready whether the instance is ready; until it is, runs are {@code startupInterval} apart (when shorter)
   */
  public CheckSchedule(CheckDefinition definition, HealthCheck check, ScheduledExecutorService timer,
      Consumer<CheckResult> results, BooleanSupplier ready, Duration startupInterval) {
    this.definition = definition;
    this.check = check;
    this.timer = timer;
    this.results = results;
    this.ready = ready;
    this.startupIntervalMs = startupInterval.toMillis();
  }

  public void start() {
    arm(ThreadLocalRandom.current().nextLong(intervalMs()));
  }

  /** The gap before the next run: the start-up interval until the instance is ready, when it is the shorter. */
  private long intervalMs() {
    long interval = definition.interval().toMillis();
    return ready.getAsBoolean() ? interval : Math.min(interval, startupIntervalMs);
  }

  public void stop() {
    stopped = true;
    ScheduledFuture<?> scheduled = next;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  private void arm(long delayMs) {
    if (!stopped) {
      next = timer.schedule(this::runOnce, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  private void runOnce() {
    if (stopped) {
      return;
    }
    try {
      check.run().whenComplete((result, error) -> {
        try {
          results.accept(result != null ? result
              : new CheckResult(CheckStatus.CRITICAL, "Check failed: " + error, Duration.ZERO));
        } catch (RuntimeException e) {
          LOG.error("Recording the result of check {} failed", definition.name(), e);
        } finally {
          arm(intervalMs());
        }
      });
    } catch (RuntimeException e) {
      LOG.error("Check {} threw instead of returning a result", definition.name(), e);
      results.accept(new CheckResult(CheckStatus.CRITICAL, "Check failed: " + e, Duration.ZERO));
      arm(intervalMs());
    }
  }
}
