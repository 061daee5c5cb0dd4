package io.shadowcar.proxy;

/**
 * The deadlines of one event loop's calls that all get the same timeout (the primary's responses, a sink's copies):
 * deadlines are then ordered by insertion, so an intrusive FIFO list gives O(1) add and remove without allocating,
 * and a periodic sweep expires the head while it is due. Cheaper than one timer per call (no map, no scheduled
 * task); the price is that a deadline may be met up to one sweep period late.
 *
 * <p>Event-loop confined; not for timeouts that differ per call.
 */
public final class DeadlineQueue {

  private static final long MAX_SWEEP_PERIOD_MS = 100;

  /** A member of the queue. */
  public abstract static class Entry {
    Entry prev;
    Entry next;
    long deadlineNanos;
    boolean queued;

    /** Called on the event loop when the deadline passed while still queued (the entry is already removed). */
    protected abstract void onDeadline();
  }

  private final long timeoutNanos;
  private Entry head;
  private Entry tail;

  public DeadlineQueue(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /** Queues {@code e} (again, if it was) with the deadline {@code nowNanos} plus the timeout. */
  public void add(Entry e, long nowNanos) {
    remove(e);
    e.deadlineNanos = nowNanos + timeoutNanos;
    e.queued = true;
    e.prev = tail;
    e.next = null;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
  }

  /** Takes {@code e} out; nothing when it is not queued. */
  public void remove(Entry e) {
    if (!e.queued) {
      return;
    }
    e.queued = false;
    if (e.prev == null) {
      head = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      tail = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
  }

  /**
   * How often to sweep queues whose shortest timeout is {@code timeoutMs}: every tenth of it, at most every
   * {@value #MAX_SWEEP_PERIOD_MS} ms and at least every millisecond, so a deadline is met at most that late.
   */
  public static long sweepPeriodMs(long timeoutMs) {
    return Math.max(1, Math.min(MAX_SWEEP_PERIOD_MS, timeoutMs / 10));
  }

  /** Whether no entry is queued. */
  public boolean isEmpty() {
    return head == null;
  }

  /** Expires every entry whose deadline is not after {@code nowNanos}. */
  public void expire(long nowNanos) {
    Entry e = head;
    while (e != null && e.deadlineNanos - nowNanos <= 0) {
      remove(e);
      e.onDeadline();
      e = head;
    }
  }
}
