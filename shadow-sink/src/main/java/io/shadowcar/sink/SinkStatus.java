package io.shadowcar.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a sink is doing right now, for the admin page: a one-word state and a few named facts. Built on demand from
 * cheap reads; never per copy.
 *
 * @param tag the sink's tag ({@code http}, {@code kafka})
 * @param state a short state an operator can act on: {@code up}, {@code starting}, {@code refusing}, {@code down},
 *     {@code closed}, or for a sink with a breaker {@code breaker closed|open|half_open}
 * @param destination where copies go, e.g. the target list or {@code topic@bootstrap}
 * @param details further facts in display order (limits, last failure, copies in flight), as text
 */
public record SinkStatus(String tag, String state, String destination, Map<String, String> details) {

  public SinkStatus {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(destination, "destination");
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
