package io.shadowcar.diff;

import java.util.List;

/** The persisted counters of one endpoint: plain data a store can write and {@link DiffAggregate#restore} reads. */
public record EndpointState(
    String endpoint,
    long requests,
    long differing,
    long noiseOnly,
    List<FieldCounters> fields,
    long droppedPaths,
    SideCounters primary,
    SideCounters candidate) {

  public EndpointState {
    fields = List.copyOf(fields);
  }
}
