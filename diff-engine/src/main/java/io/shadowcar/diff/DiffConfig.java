package io.shadowcar.diff;

import io.shadowcar.common.config.InvalidValueException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the engine and the aggregate can be told. Immutable and validated: a bad value throws
 * {@link InvalidValueException} naming the field, e.g. {@code relativeThreshold: -1.0 (expected: >= 0)}. Its
 * {@link #defaults()} are the only place the defaults are written; the sidecar's {@code shadowcar.diff.*} keys take
 * theirs from it.
 *
 * @param relativeThreshold noise rule: {@code |raw−noise| / (raw+noise) × 100} must exceed this (percent)
 * @param absoluteThreshold noise rule: {@code |raw−noise| / requests × 100} must exceed this (percent)
 * @param absoluteTolerance two JSON numbers this close (or closer) are equal; 0 = exact
 * @param relativeTolerance two JSON numbers whose distance is at most this share of the larger magnitude are equal;
 *     0 = exact
 * @param rules rules for every endpoint
 * @param endpointRules extra rules per endpoint key ({@code GET /users/{id}}), merged onto {@code rules}
 * @param templates path templates tried in order before the automatic id detection ({@code /users/{id}/orders},
 *     {@code {name}} = one segment, {@code **} = the rest)
 * @param latency when the candidate is flagged slower, or failing more often, than its baseline (the secondary once it
 *     has enough answers, else the primary)
 * @param maxLineDiffs how many differing lines of a text body are listed (all are counted)
 * @param maxValueChars values in a {@link Difference} longer than this are cut
 * @param maxEndpoints the aggregate folds further endpoints into {@link DiffAggregate#OVERFLOW_ENDPOINT}
 * @param maxPathsPerEndpoint per endpoint, differences at further new paths are only counted, not kept per path
 * @param grpcSchema response types of gRPC methods, for comparing their messages field by field; {@link
 *     GrpcSchema#NONE} (or null) compares them byte by byte
 */
public record DiffConfig(
    double relativeThreshold,
    double absoluteThreshold,
    double absoluteTolerance,
    double relativeTolerance,
    DiffRules rules,
    Map<String, DiffRules> endpointRules,
    List<String> templates,
    LatencyComparison latency,
    int maxLineDiffs,
    int maxValueChars,
    int maxEndpoints,
    int maxPathsPerEndpoint,
    GrpcSchema grpcSchema) {

  public DiffConfig {
    atLeastZero("relativeThreshold", relativeThreshold);
    atLeastZero("absoluteThreshold", absoluteThreshold);
    atLeastZero("absoluteTolerance", absoluteTolerance);
    atLeastZero("relativeTolerance", relativeTolerance);
    Objects.requireNonNull(rules, "rules");
    endpointRules = Map.copyOf(Objects.requireNonNull(endpointRules, "endpointRules"));
    templates = List.copyOf(Objects.requireNonNull(templates, "templates"));
    for (String t : templates) {
      PathTemplate.parse(t);
    }
    Objects.requireNonNull(latency, "latency");
    atLeastOne("maxLineDiffs", maxLineDiffs);
    if (maxValueChars < 8) {
      throw new InvalidValueException("maxValueChars", maxValueChars, ">= 8");
    }
    atLeastOne("maxEndpoints", maxEndpoints);
    atLeastOne("maxPathsPerEndpoint", maxPathsPerEndpoint);
    grpcSchema = grpcSchema == null ? GrpcSchema.NONE : grpcSchema;
  }

  /** Diffy's thresholds (20 %, 0.03 %), exact numbers, the default ignored headers, p99 × 1.2 (no floor), 100 samples. */
  public static DiffConfig defaults() {
    return new DiffConfig(20.0, 0.03, 0.0, 0.0, DiffRules.defaults(), Map.of(), List.of(),
        LatencyComparison.defaults(), 10, 200, 1000, 500, GrpcSchema.NONE);
  }

  /** The rules for one endpoint: the global rules merged with that endpoint's own, if any. */
  public DiffRules rulesFor(String endpoint) {
    DiffRules own = endpointRules.get(endpoint);
    return own == null ? rules : rules.merge(own);
  }

  public DiffConfig withRules(DiffRules newRules) {
    return new DiffConfig(relativeThreshold, absoluteThreshold, absoluteTolerance, relativeTolerance, newRules,
        endpointRules, templates, latency, maxLineDiffs, maxValueChars, maxEndpoints, maxPathsPerEndpoint, grpcSchema);
  }

  public DiffConfig withEndpointRules(Map<String, DiffRules> newEndpointRules) {
    return new DiffConfig(relativeThreshold, absoluteThreshold, absoluteTolerance, relativeTolerance, rules,
        newEndpointRules, templates, latency, maxLineDiffs, maxValueChars, maxEndpoints, maxPathsPerEndpoint,
        grpcSchema);
  }

  public DiffConfig withTemplates(List<String> newTemplates) {
    return new DiffConfig(relativeThreshold, absoluteThreshold, absoluteTolerance, relativeTolerance, rules,
        endpointRules, newTemplates, latency, maxLineDiffs, maxValueChars, maxEndpoints, maxPathsPerEndpoint,
        grpcSchema);
  }

  public DiffConfig withTolerance(double absolute, double relative) {
    return new DiffConfig(relativeThreshold, absoluteThreshold, absolute, relative, rules, endpointRules, templates,
        latency, maxLineDiffs, maxValueChars, maxEndpoints, maxPathsPerEndpoint, grpcSchema);
  }

  public DiffConfig withThresholds(double relative, double absolute) {
    return new DiffConfig(relative, absolute, absoluteTolerance, relativeTolerance, rules, endpointRules, templates,
        latency, maxLineDiffs, maxValueChars, maxEndpoints, maxPathsPerEndpoint, grpcSchema);
  }

  public DiffConfig withLatency(LatencyComparison newLatency) {
    return new DiffConfig(relativeThreshold, absoluteThreshold, absoluteTolerance, relativeTolerance, rules,
        endpointRules, templates, newLatency, maxLineDiffs, maxValueChars, maxEndpoints, maxPathsPerEndpoint,
        grpcSchema);
  }

  public DiffConfig withGrpcSchema(GrpcSchema schema) {
    return new DiffConfig(relativeThreshold, absoluteThreshold, absoluteTolerance, relativeTolerance, rules,
        endpointRules, templates, latency, maxLineDiffs, maxValueChars, maxEndpoints, maxPathsPerEndpoint, schema);
  }

  // Also LatencyComparison's checks: a part of the config reports a bad value the same way.
  static void atLeastZero(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new InvalidValueException(field, value, ">= 0");
    }
  }

  static void atLeastZero(String field, int value) {
    if (value < 0) {
      throw new InvalidValueException(field, value, ">= 0");
    }
  }

  static void atLeastOne(String field, int value) {
    if (value < 1) {
      throw new InvalidValueException(field, value, "> 0");
    }
  }
}
