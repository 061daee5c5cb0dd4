package io.shadowcar.launcher.fleet;

import io.shadowcar.launcher.replay.ReplayStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of one diff worker. Every record read ends in one of: a published result, skipped (by reason, in
 * {@link #replay()}), or a compare error; a failed publish ends the worker. The candidate's answers and failures are
 * counted in {@link #replay()} like the replay command counts them.
 */
final class WorkerStats {

  private final ReplayStats replay = new ReplayStats();
  private final LongAdder published = new LongAdder();
  private final LongAdder compareErrors = new LongAdder();
  private volatile int partitions;

  ReplayStats replay() {
    return replay;
  }

  void countPublished() {
    published.increment();
  }

  void countCompareError() {
    compareErrors.increment();
  }

  long published() {
    return published.sum();
  }

  long compareErrors() {
    return compareErrors.sum();
  }

  /** Partitions held, as of the last poll (the consumer itself is the polling thread's only). */
  void partitions(int held) {
    partitions = held;
  }

  int partitions() {
    return partitions;
  }

  /** Records done: published, skipped or failed to compare. */
  long done() {
    return published() + replay.skipped() + compareErrors();
  }
}
