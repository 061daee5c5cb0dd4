package io.shadowcar.dashboard;

import io.shadowcar.diff.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live listeners (the page's event stream) and the counts since the last summary. A busy endpoint costs one summary
 * per tick, not one event per exchange. Listeners run on the recorder's writer thread and must not block.
 */
final class LiveFeed {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
  private static final int MAX_ENDPOINTS_PER_EVENT = 50;

  private final List<Consumer<LiveEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> moved = new LinkedHashSet<>();
  private long same;
  private long different;
  private long noise;

  synchronized void count(Verdict verdict, String endpoint) {
    switch (verdict) {
      case SAME -> same++;
      case DIFFERENT -> different++;
      case NOISE -> noise++;
    }
    if (moved.size() < MAX_ENDPOINTS_PER_EVENT) {
      moved.add(endpoint);
    }
  }

  /** Sends the summary of what was counted since the last tick, if anything was. */
  void tick(long nowMillis) {
    LiveEvent event;
    synchronized (this) {
      if (same + different + noise == 0) {
        return;
      }
      event = new LiveEvent(LiveEvent.EXCHANGES, nowMillis, same, different, noise, new ArrayList<>(moved));
      same = 0;
      different = 0;
      noise = 0;
      moved.clear();
    }
    emit(event);
  }

  void emit(LiveEvent event) {
    for (Consumer<LiveEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("diff live listener failed; removing it", e);
        listeners.remove(l);
      }
    }
  }

  Runnable subscribe(Consumer<LiveEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
