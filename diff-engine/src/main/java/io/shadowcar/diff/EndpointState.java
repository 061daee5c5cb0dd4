package io.shadowcar.diff;

import java.util.List;

/**
 * The persisted counters of one endpoint: plain data a store can write and {@link DiffAggregate#restore} reads.
 *
 * @param secondary {@link SideCounters#none()} when no exchange had a secondary; null (state written before the
 *     secondary was counted) reads as none
 */
public record EndpointState(
    String endpoint,
    long requests,
    long differing,
    long noiseOnly,
    List<FieldCounters> fields,
    long droppedPaths,
    SideCounters primary,
    SideCounters candidate,
    SideCounters secondary) {

  public EndpointState {
    fields = List.copyOf(fields);
    secondary = secondary == null ? SideCounters.none() : secondary;
  }
}
