package io.shadowcar.diff;

import java.util.List;

/**
 * One endpoint at one moment: immutable, computed from the counters with the thresholds then in force.
 *
 * @param differing exchanges whose verdict was DIFFERENT when they were ingested
 * @param noiseOnly exchanges whose verdict was NOISE when they were ingested
 * @param differingRate {@code differing / requests × 100}
 * @param fields per field path, most raw differences first
 * @param droppedPaths differences at new paths beyond {@link DiffConfig#maxPathsPerEndpoint()}: counted, not kept
 * @param slower candidate p99 > factor × primary p99, with enough samples on both sides
 * @param failing candidate error rate > primary error rate + margin, with enough requests on both sides
 */
public record EndpointSnapshot(
    String endpoint,
    long requests,
    long differing,
    long noiseOnly,
    double differingRate,
    List<FieldSnapshot> fields,
    long droppedPaths,
    LatencySnapshot primary,
    LatencySnapshot candidate,
    boolean slower,
    boolean failing) {

  public EndpointSnapshot {
    fields = List.copyOf(fields);
  }
}
