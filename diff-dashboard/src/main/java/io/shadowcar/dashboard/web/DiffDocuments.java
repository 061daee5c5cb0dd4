package io.shadowcar.dashboard.web;

import io.shadowcar.dashboard.DashboardView;
import io.shadowcar.dashboard.IgnoreRule;
import io.shadowcar.dashboard.StoreStatus;
import io.shadowcar.dashboard.StoredBody;
import io.shadowcar.dashboard.StoredExchange;
import io.shadowcar.dashboard.StoredResponse;
import io.shadowcar.dashboard.Trend;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.Difference;
import io.shadowcar.diff.DifferenceKind;
import io.shadowcar.diff.EndpointSnapshot;
import io.shadowcar.diff.FieldClass;
import io.shadowcar.diff.FieldSnapshot;
import io.shadowcar.diff.HttpHeader;
import io.shadowcar.diff.LatencyComparison;
import io.shadowcar.diff.LatencySnapshot;
import io.shadowcar.diff.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The JSON documents of the API, built from a published view and kept examples. Pure: no I/O, no threads. */
final class DiffDocuments {

  private DiffDocuments() {}

  record Thresholds(double relativePercent, double absolutePercent, double latencyFactor, int latencyMinDeltaMillis,
      int minSamples, double errorRateMarginPoints) {

    static Thresholds of(DiffConfig c) {
      LatencyComparison latency = c.latency();
      return new Thresholds(c.relativeThreshold(), c.absoluteThreshold(), latency.factor(),
          latency.minDeltaMillis(), latency.minSamples(), latency.errorRateMargin());
    }
  }

  record Side(long requests, long answers, long p50Micros, long p99Micros, long maxMicros, long serverErrors,
      long failures, double errorRate) {

    static Side of(LatencySnapshot s) {
      return new Side(s.requests(), s.count(), s.p50Micros(), s.p99Micros(), s.maxMicros(), s.serverErrors(),
          s.failures(), s.errorRate());
    }

    /** The side, or null when it saw no request (an endpoint never called with a secondary). */
    static Side ifSeen(LatencySnapshot s) {
      return s.requests() == 0 ? null : of(s);
    }
  }

  /**
   * One endpoint in the list. With a time range, {@code requests}, {@code differing} and {@code noise} count that
   * range only (from the per-minute trend); everything else is since the last clear. {@code secondary} is null
   * without a secondary; {@code latencyBaseline} ({@code secondary} or {@code primary}) is the side {@code slower}
   * and {@code failing} compared the candidate with.
   */
  record EndpointRow(String endpoint, long requests, long differing, long noise, double differingRate,
      double noiseRate, int realFields, int noiseFields, boolean slower, boolean failing, boolean flagged,
      Side primary, Side candidate, Side secondary, String latencyBaseline, Trend trend) {}

  record Totals(long requests, long differing, long noise) {}

  record EndpointList(long since, long generatedAt, Integer minutes, Thresholds thresholds, Totals totals,
      List<EndpointRow> endpoints) {}

  record FieldRow(String path, long raw, long noise, long ignored, double noiseShare,
      Map<DifferenceKind, Long> kinds, FieldClass classification, int samples) {}

  record EndpointDetail(EndpointRow summary, Thresholds thresholds, List<FieldRow> fields, long droppedPaths,
      int differentSamples, int sameSamples, List<IgnoreRule> rules) {}

  record Request(String requestId, String method, String uri, List<HttpHeader> headers, StoredBody body,
      String curl) {}

  /**
   * One example. {@code fieldPaths}: the concrete paths ({@code body.items[2].price}) at the requested field key,
   * for the page to highlight; {@code differences} / {@code noise} / {@code ignored} as the engine found them.
   */
  record Sample(long id, long recordedAt, Verdict verdict, List<String> fieldPaths, List<Difference> differences,
      List<Difference> noise, List<Difference> ignored, Request request, StoredResponse primary,
      StoredResponse candidate, StoredResponse secondary) {}

  record SampleList(String endpoint, String bucket, List<Sample> samples) {}

  record Status(boolean enabled, double samplePercent, StoreStatus store, long since, int endpoints,
      int rules, Thresholds thresholds) {}

  static EndpointList endpoints(DashboardView view, Integer minutes) {
    List<EndpointRow> rows = new ArrayList<>();
    long requests = 0;
    long differing = 0;
    long noise = 0;
    for (EndpointSnapshot e : view.aggregate().endpoints()) {
      EndpointRow row = row(e, view.trends().get(e.endpoint()), minutes);
      rows.add(row);
      requests += row.requests();
      differing += row.differing();
      noise += row.noise();
    }
    rows.sort(Comparator.comparingDouble(EndpointRow::differingRate).reversed()
        .thenComparing(Comparator.comparing(EndpointRow::flagged).reversed())
        .thenComparing(Comparator.comparingLong(EndpointRow::requests).reversed())
        .thenComparing(EndpointRow::endpoint));
    return new EndpointList(view.sinceMillis(), view.generatedAtMillis(), minutes, Thresholds.of(view.config()),
        new Totals(requests, differing, noise), rows);
  }

  static EndpointDetail endpoint(DashboardView view, EndpointSnapshot e, Map<String, Integer> sampleCounts) {
    List<FieldRow> fields = new ArrayList<>(e.fields().size());
    for (FieldSnapshot f : e.fields()) {
      long both = f.raw() + f.noise();
      fields.add(new FieldRow(f.path(), f.raw(), f.noise(), f.ignored(), both == 0 ? 0 : f.noise() * 100.0 / both,
          f.kinds(), f.classification(), sampleCounts.getOrDefault(f.path(), 0)));
    }
    fields.sort(Comparator.comparing(FieldRow::path));
    List<IgnoreRule> rules = view.rules().stream()
        .filter(r -> r.endpoint() == null || r.endpoint().equals(e.endpoint())).toList();
    return new EndpointDetail(row(e, view.trends().get(e.endpoint()), null), Thresholds.of(view.config()), fields,
        e.droppedPaths(), sampleCounts.getOrDefault("#different", 0), sampleCounts.getOrDefault("#same", 0), rules);
  }

  static SampleList samples(String endpoint, String bucket, List<StoredExchange> kept) {
    List<Sample> out = new ArrayList<>(kept.size());
    for (StoredExchange x : kept) {
      Set<String> paths = new LinkedHashSet<>();
      for (List<Difference> list : List.of(x.differences(), x.noise(), x.ignored())) {
        for (Difference d : list) {
          if (d.key().equals(bucket)) {
            paths.add(d.path());
          }
        }
      }
      var r = x.request();
      out.add(new Sample(x.id(), x.recordedAtMillis(), x.verdict(), List.copyOf(paths), x.differences(), x.noise(),
          x.ignored(), new Request(r.requestId(), r.method(), r.uri(), r.headers(), r.body(), CurlCommand.of(r)),
          x.primary(), x.candidate(), x.secondary()));
    }
    return new SampleList(endpoint, bucket, out);
  }

  static Status status(DashboardView view, StoreStatus store) {
    return new Status(view.policy().enabled(), view.policy().samplePercent(), store, view.sinceMillis(),
        view.aggregate().endpoints().size(), view.rules().size(), Thresholds.of(view.config()));
  }

  private static EndpointRow row(EndpointSnapshot e, Trend trend, Integer minutes) {
    long requests = e.requests();
    long differing = e.differing();
    long noise = e.noiseOnly();
    if (minutes != null) {
      requests = lastSum(trend == null ? List.of() : trend.requests(), minutes);
      differing = lastSum(trend == null ? List.of() : trend.differing(), minutes);
      noise = lastSum(trend == null ? List.of() : trend.noise(), minutes);
    }
    int real = 0;
    int noisy = 0;
    for (FieldSnapshot f : e.fields()) {
      if (f.classification() == FieldClass.REAL) {
        real++;
      } else if (f.classification() == FieldClass.NOISE) {
        noisy++;
      }
    }
    double rate = requests == 0 ? 0 : differing * 100.0 / requests;
    double noiseRate = requests == 0 ? 0 : noise * 100.0 / requests;
    boolean flagged = e.slower() || e.failing() || differing > 0;
    return new EndpointRow(e.endpoint(), requests, differing, noise, rate, noiseRate, real, noisy, e.slower(),
        e.failing(), flagged, Side.of(e.primary()), Side.of(e.candidate()), Side.ifSeen(e.secondary()),
        e.latencyBaseline().tag(), trend);
  }

  private static long lastSum(List<Long> counts, int minutes) {
    long sum = 0;
    for (int i = Math.max(0, counts.size() - minutes); i < counts.size(); i++) {
      sum += counts.get(i);
    }
    return sum;
  }
}
