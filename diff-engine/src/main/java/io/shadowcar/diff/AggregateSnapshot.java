package io.shadowcar.diff;

import java.util.List;

/** Every endpoint of an aggregate at one moment, most requests first. */
public record AggregateSnapshot(List<EndpointSnapshot> endpoints) {

  public AggregateSnapshot {
    endpoints = List.copyOf(endpoints);
  }

  /** The endpoint with this key, or null. */
  public EndpointSnapshot endpoint(String key) {
    for (EndpointSnapshot e : endpoints) {
      if (e.endpoint().equals(key)) {
        return e;
      }
    }
    return null;
  }
}
