package io.shadowcar.diff;

/**
 * Counts results per endpoint and per field path and applies the noise rule and the latency comparison.
 *
 * <p>Not thread-safe: confine an instance to one thread (or guard it). Not a store: it keeps counters in memory,
 * bounded by {@link DiffConfig#maxEndpoints()} and {@link DiffConfig#maxPathsPerEndpoint()}; persist
 * {@link #export()} and {@link #restore} it.
 */
public final class DiffAggregate {

  /** The key further endpoints are folded into once {@link DiffConfig#maxEndpoints()} are tracked. */
  public static final String OVERFLOW_ENDPOINT = "* /{other}";

  private final DiffConfig config;

  public DiffAggregate(DiffConfig config) {
    this.config = config;
  }

  public Verdict ingest(DiffResult result) {
    throw new UnsupportedOperationException("not yet" + config);
  }

  public AggregateSnapshot snapshot() {
    throw new UnsupportedOperationException("not yet");
  }

  public AggregateState export() {
    throw new UnsupportedOperationException("not yet");
  }

  public static DiffAggregate restore(DiffConfig config, AggregateState state) {
    throw new UnsupportedOperationException("not yet");
  }
}
