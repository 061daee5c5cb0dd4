package io.shadowcar.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies being read ahead of the primary may hold together ({@code requestBufferTotalBytes}),
 * shared by every event loop. A body reserves each chunk before keeping it; when a reservation fails the body is
 * streamed from then on. Thread-safe.
 */
final class RequestBuffers {

  private final long total;
  private final AtomicLong held = new AtomicLong();

  RequestBuffers(long total, ProxyMetrics metrics) {
    this.total = total;
    metrics.bufferedBytes(held::get);
  }

  /** Reserves {@code bytes}; false when that would exceed the total (nothing is reserved then). */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > total) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Gives back what a body reserved. */
  void release(long bytes) {
    if (bytes > 0) {
      held.addAndGet(-bytes);
    }
  }
}
