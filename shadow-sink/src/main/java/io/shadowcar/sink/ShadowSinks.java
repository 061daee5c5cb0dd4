package io.shadowcar.sink;

import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.SinkKind;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeEventHandler;
import io.shadowcar.tee.TeeMetrics;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fans each copy out to the sinks its route names. A route naming a sink that is not configured (e.g. {@code kafka}
 * without {@code shadowcar.shadow.kafka.bootstrap}) loses that copy as {@code sink_down}.
 *
 * <p>This is the {@link TeeEventHandler} the launcher gives the router. Not a sink itself: it adds no bound of its own.
 */
public final class ShadowSinks implements TeeEventHandler {

  private final Map<SinkKind, ShadowSink> sinks = new EnumMap<>(SinkKind.class);
  private final TeeMetrics metrics;

  public ShadowSinks(List<ShadowSink> sinks, TeeMetrics metrics) {
    for (ShadowSink sink : sinks) {
      if (this.sinks.put(sink.kind(), sink) != null) {
        throw new IllegalArgumentException("sinks: two sinks of kind " + sink.kind().tag() + " (expected: one each)");
      }
    }
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

  /** The first refusal when no sink of the route would take a copy now; {@code null} when at least one would. */
  @Override
  public DropReason refusal(Set<SinkKind> kinds) {
    DropReason first = null;
    for (SinkKind kind : kinds) {
      ShadowSink sink = sinks.get(kind);
      DropReason reason = sink == null ? DropReason.SINK_DOWN : sink.refusal();
      if (reason == null) {
        return null;
      }
      if (first == null) {
        first = reason;
      }
    }
    return first;
  }

  @Override
  public void onTeeEvent(TeeEvent event) {
    // Take every extra hold before the first hand-over, so a sink that finishes at once cannot free the bytes early.
    int count = event.sinks().size();
    for (int i = 1; i < count; i++) {
      event.retain();
    }
    for (SinkKind kind : event.sinks()) {
      ShadowSink sink = sinks.get(kind);
      if (sink == null) {
        metrics.count(DropReason.SINK_DOWN);
        event.release();
      } else {
        sink.send(event);
      }
    }
  }
}
