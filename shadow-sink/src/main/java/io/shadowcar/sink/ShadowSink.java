package io.shadowcar.sink;

import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.vertx.core.Future;

/**
 * Delivers copies somewhere (an HTTP shadow cluster, a Kafka topic, a plugin's destination) without ever touching the
 * primary path. Built by its {@link ShadowSinkProvider}.
 *
 * <p>Contract of {@link #send}: it returns at once, never blocks, never throws and never pushes back on the caller. It
 * takes over one hold on the event and releases it ({@link TeeEvent#release()}) exactly once, and every copy ends in
 * exactly one counted outcome: {@code shadowcar_tee_copies_total{result="sent"|"failed"}} or
 * {@code shadowcar_tee_dropped_total{reason}} (see {@link io.shadowcar.tee.TeeMetrics}). Overload is answered by
 * dropping and counting, never by queueing without a bound: {@link SinkAdmission} does all of that for a sink.
 *
 * <p>Not for the primary request: nothing a sink does may delay, alter or fail it.
 */
public interface ShadowSink {

  /** The tag routes select this sink with ({@code sinks=http}) and its metrics carry; its provider's tag. */
  String tag();

  /**
   * Why this sink would drop a copy right now ({@code inflight_full}, {@code circuit_open}, {@code no_target},
   * {@code sink_down}), or {@code null}. Asked at the request head so a copy that cannot be taken is never captured;
   * cheap reads only, never counts. {@link #send} still enforces every bound.
   */
  default DropReason refusal() {
    return null;
  }

  /**
   * A copy was not made because of this sink's {@link #refusal()}; the router counted it. For the sink's log of lost
   * copies only: never count it again. Cheap, never blocks.
   */
  default void refused(DropReason reason) {}

  /**
   * Whether this sink reads the primary's response body ({@link TeeEvent#primaryResponse()}); when neither the sinks of
   * a route nor any exchange listener do, the tee does not capture it. Fixed for the sink's lifetime.
   */
  default boolean readsPrimaryResponse() {
    return false;
  }

  /**
   * One line for the start-up log: where copies go and the limits in force, e.g. {@code http sink: shadow targets
   * [http://10.0.0.5:8080]; maxInflight 1024, ...}.
   */
  default String description() {
    return tag() + " sink";
  }

  /** The sink's state now, for the admin page and {@code GET /api/tee}; cheap reads only. */
  default SinkStatus status() {
    return new SinkStatus(tag(), "up", "", java.util.Map.of());
  }

  /** Hands over one copy; see the class contract. May be called on any event loop. */
  void send(TeeEvent event);

  /** Stops taking copies (later sends are dropped as {@code sink_down}) and frees the sink's resources. */
  Future<Void> close();
}
