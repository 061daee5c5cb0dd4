package io.shadowcar.tee;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The budget bytes one capture holds, and who still needs them: the exchange (until the tap's {@code onComplete})
 * and, once handed over, the {@link TeeEvent} (until its last release). The last of the two returns every byte.
 */
final class CaptureLease {

  private final BufferBudget budget;
  private final long limit;
  // fields and updaters, not atomics: two objects less for each copy in flight (see TeeEvent)
  private static final AtomicIntegerFieldUpdater<CaptureLease> HOLDS =
      AtomicIntegerFieldUpdater.newUpdater(CaptureLease.class, "holds");
  private static final AtomicLongFieldUpdater<CaptureLease> RESERVED =
      AtomicLongFieldUpdater.newUpdater(CaptureLease.class, "reserved");
  private volatile int holds = 1;
  private volatile long reserved;

  CaptureLease(BufferBudget budget, long limit) {
    this.budget = budget;
    this.limit = limit;
  }

  boolean tryReserve(long bytes) {
    if (!budget.tryReserve(bytes, limit)) {
      return false;
    }
    RESERVED.addAndGet(this, bytes);
    return true;
  }

  /** Returns bytes early, while a hold is still held (a capture that was dropped). */
  void giveBack(long bytes) {
    RESERVED.addAndGet(this, -bytes);
    budget.release(bytes);
  }

  void hold() {
    HOLDS.incrementAndGet(this);
  }

  void release() {
    int left = HOLDS.decrementAndGet(this);
    if (left == 0) {
      budget.release(RESERVED.getAndSet(this, 0));
    } else if (left < 0) {
      throw new IllegalStateException("capture lease released more often than held");
    }
  }
}
