package io.shadowcar.tee;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The budget bytes one capture holds, and who still needs them: the exchange (until the tap's {@code onComplete})
 * and, once handed over, the {@link TeeEvent} (until its last release). The last of the two returns every byte.
 */
final class CaptureLease {

  private final BufferBudget budget;
  private final long limit;
  private final AtomicInteger holds = new AtomicInteger(1);
  private final AtomicLong reserved = new AtomicLong();

  CaptureLease(BufferBudget budget, long limit) {
    this.budget = budget;
    this.limit = limit;
  }

  boolean tryReserve(long bytes) {
    if (!budget.tryReserve(bytes, limit)) {
      return false;
    }
    reserved.addAndGet(bytes);
    return true;
  }

  /** Returns bytes early, while a hold is still held (a capture that was dropped). */
  void giveBack(long bytes) {
    reserved.addAndGet(-bytes);
    budget.release(bytes);
  }

  void hold() {
    holds.incrementAndGet();
  }

  void release() {
    int left = holds.decrementAndGet();
    if (left == 0) {
      budget.release(reserved.getAndSet(0));
    } else if (left < 0) {
      throw new IllegalStateException("capture lease released more often than held");
    }
  }
}
