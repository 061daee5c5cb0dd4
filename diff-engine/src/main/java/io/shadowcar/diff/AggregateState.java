package io.shadowcar.diff;

import java.util.List;

/** Everything a {@link DiffAggregate} counts, as plain data (records, lists, byte arrays). */
public record AggregateState(List<EndpointState> endpoints) {

  public AggregateState {
    endpoints = List.copyOf(endpoints);
  }
}
