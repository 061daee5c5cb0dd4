package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one check again and again: the first run after a random stagger within the interval (so that checks and
 * sidecars started together do not fire together), each next run one interval after the previous run completed. It
 * re-arms itself only when a run completes, so two runs of one check never overlap.
 */
public final class CheckSchedule {

  private static final Logger LOG = LoggerFactory.getLogger(CheckSchedule.class);

  private final CheckDefinition definition;
  private final HealthCheck check;
  private final ScheduledExecutorService timer;
  private final Consumer<CheckResult> results;
  private volatile boolean stopped;
  private volatile ScheduledFuture<?> next;

  /**
   * @param results told about every run's result, on whichever thread completed the run; must not block
   */
  public CheckSchedule(CheckDefinition definition, HealthCheck check, ScheduledExecutorService timer,
      Consumer<CheckResult> results) {
    this.definition = definition;
    this.check = check;
    this.timer = timer;
    this.results = results;
  }

  public void start() {
    long interval = definition.interval().toMillis();
    arm(ThreadLocalRandom.current().nextLong(interval));
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
          arm(definition.interval().toMillis());
        }
      });
    } catch (RuntimeException e) {
      LOG.error("Check {} threw instead of returning a result", definition.name(), e);
      results.accept(new CheckResult(CheckStatus.CRITICAL, "Check failed: " + e, Duration.ZERO));
      arm(definition.interval().toMillis());
    }
  }
}
