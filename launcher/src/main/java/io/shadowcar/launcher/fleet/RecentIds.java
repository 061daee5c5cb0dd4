package io.shadowcar.launcher.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} request ids seen, to drop a result delivered twice (a worker that died after publishing
 * and before committing, or a rebalance: its successor publishes the same exchanges again, seconds later). An id
 * older than the window, or seen before this process started, is not recognised. One thread; not synchronized.
 */
final class RecentIds {

  private final LinkedHashMap<String, Boolean> ids;

  RecentIds(int capacity) {
    this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** True the first time an id is offered within the window (and remembers it); false for a repeat. */
  boolean firstTime(String requestId) {
    return ids.put(requestId, Boolean.TRUE) == null;
  }
}
