package io.shadowcar.dashboard;

import io.shadowcar.diff.DiffAggregate;
import java.util.HashSet;
import java.util.Set;

/**
 * The endpoint key the aggregate counts an exchange under: its own until {@code maxEndpoints} keys are known, then
 * {@link DiffAggregate#OVERFLOW_ENDPOINT}. Mirrors the aggregate's rule, so examples and trends line up with its
 * counters. Not thread-safe (the recorder guards it).
 */
final class EndpointKeys {

  private final int maxEndpoints;
  private final Set<String> known = new HashSet<>();

  EndpointKeys(int maxEndpoints) {
    this.maxEndpoints = maxEndpoints;
  }

  String keyOf(String endpoint) {
    if (known.contains(endpoint)) {
      return endpoint;
    }
    String key = known.size() < maxEndpoints ? endpoint : DiffAggregate.OVERFLOW_ENDPOINT;
    known.add(key);
    return key;
  }

  void clear() {
    known.clear();
  }
}
