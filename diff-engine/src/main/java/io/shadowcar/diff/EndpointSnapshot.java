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
 * @param secondary the secondary's side; zero requests when no exchange had a secondary
 * @param latencyBaseline the side {@code slower} and {@code failing} compare the candidate with
 * @param slower candidate p99 > factor × baseline p99, with enough samples on both sides
 * @param failing candidate error rate > baseline error rate + margin, with enough requests on both sides
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
    LatencySnapshot secondary,
    LatencyBaseline latencyBaseline,
    boolean slower,
    boolean failing) {

  public EndpointSnapshot {
    fields = List.copyOf(fields);
  }
}
