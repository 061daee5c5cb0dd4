package io.shadowcar.proxy;

/**
 * The primary-response deadlines of one event loop's exchanges. Every exchange gets the same timeout, so deadlines
 * are ordered by insertion: an intrusive FIFO list gives O(1) add and remove without allocating, and a periodic
 * sweep expires the head while it is due. Cheaper than one timer per request (no map, no scheduled task); the price
 * is that a 504 may come up to one sweep period late.
 *
 * <p>Event-loop confined; not for timeouts that differ per request.
 */
final class DeadlineQueue {

  /** A member of the queue. */
  abstract static class Entry {
    Entry prev;
    Entry next;
    long deadlineNanos;
    boolean queued;

    /** Called on the event loop when the deadline passed while still queued (the entry is already removed). */
    abstract void onDeadline();
  }

  private final long timeoutNanos;
  private Entry head;
  private Entry tail;

  DeadlineQueue(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  void add(Entry e, long nowNanos) {
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

  void remove(Entry e) {
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

  /** Expires every entry whose deadline is not after {@code nowNanos}. */
  void expire(long nowNanos) {
    Entry e = head;
    while (e != null && e.deadlineNanos - nowNanos <= 0) {
      remove(e);
      e.onDeadline();
      e = head;
    }
  }
}
