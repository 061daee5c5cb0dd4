package io.shadowcar.dashboard;

import io.shadowcar.diff.AggregateState;
import java.util.List;

/**
 * What a store held at start: the counters to restore, the newest examples (oldest first, so filing them again
 * rebuilds the same rings), the ignore rules, when results were last cleared, and the highest example id.
 */
record StoredContent(AggregateState state, List<FiledExchange> samples, List<IgnoreRule> rules, long clearedAtMillis,
    long maxSampleId) {

  static StoredContent empty(long clearedAtMillis) {
    return new StoredContent(new AggregateState(List.of()), List.of(), List.of(), clearedAtMillis, 0);
  }
}
