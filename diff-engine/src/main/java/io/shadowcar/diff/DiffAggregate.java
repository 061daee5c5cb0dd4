package io.shadowcar.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts results per endpoint and per field path, applies the noise rule ({@link NoiseRule}) and the latency
 * comparison ({@link LatencyComparison}, against the secondary once it has enough answers), and produces immutable
 * snapshots.
 *
 * <p>Not thread-safe: confine an instance to one thread (or guard every call with one lock). Not a store: it keeps
 * counters in memory, bounded by {@link DiffConfig#maxEndpoints()} and {@link DiffConfig#maxPathsPerEndpoint()};
 * persist {@link #export()} and read it back with {@link #restore}.
 */
public final class DiffAggregate {

  /** The key further endpoints are folded into once {@link DiffConfig#maxEndpoints()} are tracked. */
  public static final String OVERFLOW_ENDPOINT = "* /{other}";

  private final DiffConfig config;
  private final NoiseRule noiseRule;
  private final Map<String, Endpoint> endpoints = new HashMap<>();

  public DiffAggregate(DiffConfig config) {
    this.config = config;
    this.noiseRule = NoiseRule.of(config);
  }

  /**
   * Counts one result and returns its verdict: SAME without differences; NOISE when every differing path either
   * also differed between primary and secondary in this exchange or is classified NOISE once this exchange is
   * counted; DIFFERENT otherwise.
   */
  public Verdict ingest(DiffResult result) {
    Endpoint e = endpoint(result.endpoint());
    e.requests++;
    e.primary.record(result.primary());
    e.candidate.record(result.candidate());
    if (result.secondary() != null) {
      e.secondary.record(result.secondary());
    }
    Set<String> rawKeys = keys(result.differences());
    Set<String> noiseKeys = keys(result.noise());
    for (String k : rawKeys) {
      Field f = e.field(k);
      if (f != null) {
        f.raw++;
      }
    }
    for (String k : keys(result.ignored())) {
      Field f = e.field(k);
      if (f != null) {
        f.ignored++;
      }
    }
    for (String k : noiseKeys) {
      Field f = e.field(k);
      if (f != null) {
        f.noise++;
      }
    }
    countKinds(e, result.differences(), result.ignored());
    if (rawKeys.isEmpty()) {
      return Verdict.SAME;
    }
    for (String k : rawKeys) {
      Field f = e.fields.get(k);
      boolean noise = noiseKeys.contains(k)
          || (f != null && noiseRule.classify(f.raw, f.noise, f.ignored, e.requests) == FieldClass.NOISE);
      if (!noise) {
        e.differing++;
        return Verdict.DIFFERENT;
      }
    }
    e.noiseOnly++;
    return Verdict.NOISE;
  }

  public AggregateSnapshot snapshot() {
    List<EndpointSnapshot> out = new ArrayList<>(endpoints.size());
    for (Endpoint e : endpoints.values()) {
      out.add(e.snapshot());
    }
    out.sort(Comparator.comparingLong(EndpointSnapshot::requests).reversed()
        .thenComparing(EndpointSnapshot::endpoint));
    return new AggregateSnapshot(out);
  }

  /** Every counter as plain data, for a store. */
  public AggregateState export() {
    List<EndpointState> out = new ArrayList<>(endpoints.size());
    for (Endpoint e : endpoints.values()) {
      out.add(e.export());
    }
    out.sort(Comparator.comparing(EndpointState::endpoint));
    return new AggregateState(out);
  }

  /** An aggregate holding the exported counters, judged with {@code config}. */
  public static DiffAggregate restore(DiffConfig config, AggregateState state) {
    DiffAggregate aggregate = new DiffAggregate(config);
    for (EndpointState s : state.endpoints()) {
      Endpoint e = new Endpoint(s.endpoint(), config.maxPathsPerEndpoint(), LatencyCounters.restore(s.primary()),
          LatencyCounters.restore(s.candidate()), LatencyCounters.restore(s.secondary()), aggregate);
      e.requests = s.requests();
      e.differing = s.differing();
      e.noiseOnly = s.noiseOnly();
      e.droppedPaths = s.droppedPaths();
      for (FieldCounters c : s.fields()) {
        Field f = new Field();
        f.raw = c.raw();
        f.noise = c.noise();
        f.ignored = c.ignored();
        f.kinds.putAll(c.kinds());
        e.fields.put(c.path(), f);
      }
      aggregate.endpoints.put(s.endpoint(), e);
    }
    return aggregate;
  }

  /** Forgets everything ("clear all requests"). */
  public void clear() {
    endpoints.clear();
  }

  private Endpoint endpoint(String key) {
    Endpoint e = endpoints.get(key);
    if (e == null) {
      String k = endpoints.size() < config.maxEndpoints() ? key : OVERFLOW_ENDPOINT;
      e = endpoints.computeIfAbsent(k, x -> new Endpoint(x, config.maxPathsPerEndpoint(), new LatencyCounters(),
          new LatencyCounters(), new LatencyCounters(), this));
    }
    return e;
  }

  private static void countKinds(Endpoint e, List<Difference> kept, List<Difference> ignored) {
    Set<String> seen = new LinkedHashSet<>();
    for (List<Difference> list : List.of(kept, ignored)) {
      for (Difference d : list) {
        String key = d.key();
        if (seen.add(key + '\0' + d.kind())) {
          Field f = e.fields.get(key);
          if (f != null) {
            f.kinds.merge(d.kind(), 1L, Long::sum);
          }
        }
      }
    }
  }

  private static Set<String> keys(List<Difference> differences) {
    if (differences.isEmpty()) {
      return Set.of();
    }
    Set<String> keys = new LinkedHashSet<>();
    for (Difference d : differences) {
      keys.add(d.key());
    }
    return keys;
  }

  private static final class Field {
    long raw;
    long noise;
    long ignored;
    final Map<DifferenceKind, Long> kinds = new EnumMap<>(DifferenceKind.class);
  }

  private static final class Endpoint {
    final String key;
    final int maxPaths;
    final LatencyCounters primary;
    final LatencyCounters candidate;
    final LatencyCounters secondary;
    final DiffAggregate owner;
    final Map<String, Field> fields = new HashMap<>();
    long requests;
    long differing;
    long noiseOnly;
    long droppedPaths;

    Endpoint(String key, int maxPaths, LatencyCounters primary, LatencyCounters candidate, LatencyCounters secondary,
        DiffAggregate owner) {
      this.key = key;
      this.maxPaths = maxPaths;
      this.primary = primary;
      this.candidate = candidate;
      this.secondary = secondary;
      this.owner = owner;
    }

    /** The counters of a path, created on first use; null (and counted as dropped) beyond the path cap. */
    Field field(String path) {
      Field f = fields.get(path);
      if (f == null) {
        if (fields.size() >= maxPaths) {
          droppedPaths++;
          return null;
        }
        f = new Field();
        fields.put(path, f);
      }
      return f;
    }

    EndpointSnapshot snapshot() {
      List<FieldSnapshot> out = new ArrayList<>(fields.size());
      fields.forEach((path, f) -> out.add(new FieldSnapshot(path, f.raw, f.noise, f.ignored, f.kinds,
          owner.noiseRule.classify(f.raw, f.noise, f.ignored, requests))));
      out.sort(Comparator.comparingLong(FieldSnapshot::raw).reversed().thenComparing(FieldSnapshot::path));
      LatencySnapshot p = primary.snapshot();
      LatencySnapshot c = candidate.snapshot();
      LatencySnapshot s = secondary.snapshot();
      LatencyComparison latency = owner.config.latency();
      LatencyBaseline baseline = latency.baseline(s);
      LatencySnapshot against = baseline == LatencyBaseline.SECONDARY ? s : p;
      double rate = requests == 0 ? 0.0 : differing * 100.0 / requests;
      return new EndpointSnapshot(key, requests, differing, noiseOnly, rate, out, droppedPaths, p, c, s, baseline,
          latency.slower(against, c), latency.failing(against, c));
    }

    EndpointState export() {
      List<FieldCounters> out = new ArrayList<>(fields.size());
      fields.forEach((path, f) -> out.add(new FieldCounters(path, f.raw, f.noise, f.ignored, f.kinds)));
      out.sort(Comparator.comparing(FieldCounters::path));
      return new EndpointState(key, requests, differing, noiseOnly, out, droppedPaths, primary.export(),
          candidate.export(), secondary.export());
    }
  }
}
