package io.shadowcar.diff;

/**
 * Latency and errors of one side (primary, candidate or secondary) of one endpoint. Percentiles are of answered
 * requests only (failures carry no meaningful latency), in microseconds, to two significant digits.
 *
 * @param requests exchanges seen
 * @param count latency samples (answers)
 * @param errorRate {@code (serverErrors + failures) / requests × 100}, 0 without requests
 */
public record LatencySnapshot(
    long requests, long count, long p50Micros, long p90Micros, long p99Micros, long maxMicros,
    long serverErrors, long failures, double errorRate) {
}
