package io.shadowcar.tee;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes all captures in flight hold together, against {@code shadowcar.shadow.maxBufferedBytes}: many slow uploads
 * cannot exhaust the heap, they lose their copies ({@code buffer_full}) instead. Lock-free; safe from any thread.
 */
final class BufferBudget {

  private final AtomicLong used = new AtomicLong();

  /** Takes {@code bytes} if the total stays within {@code limit}; {@code false} (and nothing taken) otherwise. */
  boolean tryReserve(long bytes, long limit) {
    while (true) {
      long current = used.get();
      long next = current + bytes;
      if (next > limit) {
        return false;
      }
      if (used.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    if (bytes > 0 && used.addAndGet(-bytes) < 0) {
      throw new IllegalStateException("buffer budget released more than reserved: " + bytes);
    }
  }

  long used() {
    return used.get();
  }
}
