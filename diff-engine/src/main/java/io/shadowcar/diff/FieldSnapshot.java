package io.shadowcar.diff;

import java.util.Map;

/** A field path of an endpoint as a UI shows it: counters, kinds and the noise-rule classification. */
public record FieldSnapshot(
    String path, long raw, long noise, long ignored, Map<DifferenceKind, Long> kinds, FieldClass classification) {

  public FieldSnapshot {
    kinds = Map.copyOf(kinds);
  }
}
