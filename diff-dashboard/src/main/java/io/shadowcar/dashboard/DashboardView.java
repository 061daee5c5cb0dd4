package io.shadowcar.dashboard;

import io.shadowcar.diff.AggregateSnapshot;
import io.shadowcar.diff.DiffConfig;
import java.util.List;
import java.util.Map;

/**
 * Everything the page's overview needs at one moment: immutable, published by the recorder for any thread to read.
 *
 * @param config the comparison config in force (thresholds, ignore rules from configuration and dashboard)
 * @param trends per endpoint, per-minute counts of the last minutes
 * @param sinceMillis when results were last cleared (or first recorded)
 */
public record DashboardView(
    AggregateSnapshot aggregate,
    Map<String, Trend> trends,
    DiffConfig config,
    RecordingPolicy policy,
    List<IgnoreRule> rules,
    long sinceMillis,
    long generatedAtMillis) {

  public DashboardView {
    trends = Map.copyOf(trends);
    rules = List.copyOf(rules);
  }
}
