package io.shadowcar.diff;

import java.util.Map;
import java.util.Objects;

/**
 * The persisted counters of one field path of one endpoint: exchanges, not differences (an exchange with three
 * differing {@code items[*].price} counts once).
 *
 * @param path the aggregate key ({@link Difference#key()})
 * @param raw exchanges where primary and candidate differ here (outside the ignore rules)
 * @param noise exchanges where primary and secondary differ here
 * @param ignored exchanges where primary and candidate differ here, hidden by an ignore rule
 * @param kinds per kind, exchanges with a raw or ignored difference of that kind here
 */
public record FieldCounters(String path, long raw, long noise, long ignored, Map<DifferenceKind, Long> kinds) {

  public FieldCounters {
    Objects.requireNonNull(path, "path");
    kinds = Map.copyOf(kinds);
  }
}
