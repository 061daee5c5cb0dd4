package io.shadowcar.sink;

import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeEventHandler;
import io.shadowcar.tee.TeeMetrics;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fans each copy out to the sinks its route names, by tag. A route naming a sink that is not configured (e.g.
 * {@code kafka} without {@code shadowcar.shadow.kafka.bootstrap}) loses that copy as {@code sink_down}.
 *
 * <p>This is the {@link TeeEventHandler} the launcher gives the router. Not a sink itself: it adds no bound of its own.
 */
public final class ShadowSinks implements TeeEventHandler {

  private final Map<String, ShadowSink> sinks = new HashMap<>();
  private final ExchangeObservers observers;
  private final TeeMetrics metrics;

  /** A fan-out with no exchange listener. */
  public ShadowSinks(List<ShadowSink> sinks, TeeMetrics metrics) {
    this(sinks, ExchangeObservers.none(), metrics);
  }

  /** @param observers the listeners the sinks report to; they make the primary's response worth capturing */
  public ShadowSinks(List<ShadowSink> sinks, ExchangeObservers observers, TeeMetrics metrics) {
    for (ShadowSink sink : sinks) {
      if (this.sinks.put(sink.tag(), sink) != null) {
        throw new IllegalArgumentException("sinks: two sinks tagged " + sink.tag() + " (expected: one each)");
      }
    }
    this.observers = observers;
    this.metrics = metrics;
  }

  /** Closes every sink (on shutdown, after the proxy stopped taking requests); completes when all are closed. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (ShadowSink sink : sinks.values()) {
      closing.add(sink.close());
    }
    return Future.join(closing).mapEmpty();
  }

  /**
   * The first refusal when no sink of the route would take a copy now; {@code null} when at least one would. The router
   * counts the answer as a drop, so the refusing sink is told ({@link ShadowSink#refused}) to log it with its own drops.
   */
  @Override
  public DropReason refusal(Set<String> tags) {
    DropReason first = null;
    ShadowSink refusing = null;
    for (String tag : tags) {
      ShadowSink sink = sinks.get(tag);
      DropReason reason = sink == null ? DropReason.SINK_DOWN : sink.refusal();
      if (reason == null) {
        return null;
      }
      if (first == null) {
        first = reason;
        refusing = sink;
      }
    }
    if (refusing != null) {
      refusing.refused(first);
    }
    return first;
  }

  /** True when a listener is registered or one of the route's sinks reads the primary's response. */
  @Override
  public boolean readsPrimaryResponse(Set<String> tags) {
    if (observers.any()) {
      return true;
    }
    for (String tag : tags) {
      ShadowSink sink = sinks.get(tag);
      if (sink != null && sink.readsPrimaryResponse()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void onTeeEvent(TeeEvent event) {
    // Take every extra hold before the first hand-over, so a sink that finishes at once cannot free the bytes early.
    int count = event.sinks().size();
    for (int i = 1; i < count; i++) {
      event.retain();
    }
    for (String tag : event.sinks()) {
      ShadowSink sink = sinks.get(tag);
      if (sink == null) {
        metrics.count(DropReason.SINK_DOWN);
        event.release();
      } else {
        sink.send(event);
      }
    }
  }
}
