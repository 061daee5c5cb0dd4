package io.shadowcar.dashboard;

import io.shadowcar.diff.EndpointState;
import java.util.List;

/** What changed since the last write: the counters of the endpoints that saw exchanges, and new examples. */
record StoreBatch(List<EndpointState> endpoints, List<FiledExchange> samples) {

  StoreBatch {
    endpoints = List.copyOf(endpoints);
    samples = List.copyOf(samples);
  }

  boolean isEmpty() {
    return endpoints.isEmpty() && samples.isEmpty();
  }
}
