package io.shadowcar.proxy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on open caller connections, shared by every event loop of the traffic port. A connection takes a place when
 * it is accepted and gives it back when it closes; one accepted while every place is taken is closed before a byte of
 * it is read, and counted. Thread-safe.
 *
 * <p>It protects file descriptors and the memory each connection costs; it does not queue: a refused caller sees its
 * connection closed and may retry, as with a full accept backlog.
 */
final class ConnectionLimit {

  private final int max;
  private final ProxyMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimit(int max, ProxyMetrics metrics) {
    this.max = max;
    this.metrics = metrics;
    metrics.connections(open::get);
  }

  /** Takes a place for a new connection; false (and counted) when all are taken. */
  boolean tryOpen() {
    while (true) {
      int now = open.get();
      if (now >= max) {
        metrics.connectionRefused();
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives back the place of a connection that closed. */
  void closed() {
    open.decrementAndGet();
  }
}
