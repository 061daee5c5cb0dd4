package io.shadowcar.launcher.fleet;

import io.shadowcar.launcher.replay.ReplayStats;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's progress line, every few seconds: records done and their rate since the last line, results published,
 * skipped by reason, candidate failures, in flight, partitions held and the lag. One log line (key-value pairs with
 * {@code --json-log}).
 */
final class WorkerProgress implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger("shadowcar.diff-worker.progress");

  private final DiffWorker worker;
  private long lastDone;
  private long lastNanos = System.nanoTime();

  WorkerProgress(DiffWorker worker) {
    this.worker = worker;
  }

  @Override
  public void run() {
    WorkerStats stats = worker.stats();
    ReplayStats replay = stats.replay();
    long now = System.nanoTime();
    long done = stats.done();
    double rate = (done - lastDone) / ((now - lastNanos) / 1e9);
    lastDone = done;
    lastNanos = now;
    long lag = replay.lag();
    Map<String, Long> skipped = replay.skippedByReason();
    LOG.atInfo()
        .addKeyValue("records", done)
        .addKeyValue("recordsPerSecond", Math.round(rate * 10) / 10.0)
        .addKeyValue("published", stats.published())
        .addKeyValue("skipped", replay.skipped())
        .addKeyValue("skippedByReason", skipped)
        .addKeyValue("candidateFailed", replay.failed())
        .addKeyValue("compareErrors", stats.compareErrors())
        .addKeyValue("inflight", worker.inflight())
        .addKeyValue("partitions", stats.partitions())
        .addKeyValue("lag", lag)
        .log(String.format(Locale.ROOT, "records %d (%.1f/s), published %d, skipped %d %s, candidate failed %d, "
            + "in flight %d, partitions %d, lag %s", done, rate, stats.published(), replay.skipped(), skipped,
            replay.failed(), worker.inflight(), stats.partitions(),
            lag < 0 ? "?" : String.valueOf(lag)));
  }
}
