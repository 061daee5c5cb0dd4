package io.shadowcar.diff;

/**
 * The persisted latency and error counters of one side of one endpoint.
 *
 * @param histogram the latency histogram (microseconds) as {@link HistogramCodec#encode} writes it
 */
public record SideCounters(long requests, long serverErrors, long failures, byte[] histogram) {

  /** The counters of a side that saw nothing (an endpoint without a secondary). */
  public static SideCounters none() {
    return new LatencyCounters().export();
  }
}
