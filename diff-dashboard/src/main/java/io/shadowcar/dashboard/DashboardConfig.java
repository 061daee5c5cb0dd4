package io.shadowcar.dashboard;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.InvalidValueException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The fixed settings of the recorder and its store; read once at start (a change needs a restart).
 *
 * @param samplesPerField example exchanges kept per endpoint and field path
 * @param samplesPerEndpoint example exchanges kept per endpoint with any difference (and as many without)
 * @param samplesInMemory example exchanges held in memory at most, across all endpoints
 * @param sampleBodyBytes body bytes kept of each request and response of an example (the rest is cut, flagged)
 * @param storeEnabled false keeps everything in memory only
 * @param retention stored examples older than this are deleted
 * @param flushInterval how often new results are written to the store
 * @param flushBatch new examples that trigger a write before the next tick
 * @param trendMinutes per-minute counts kept per endpoint
 */
public record DashboardConfig(
    int samplesPerField,
    int samplesPerEndpoint,
    int samplesInMemory,
    int sampleBodyBytes,
    boolean storeEnabled,
    Duration retention,
    Duration flushInterval,
    int flushBatch,
    int trendMinutes) {

  public DashboardConfig {
    InvalidValueException.check(samplesPerField >= 1, "samplesPerField", samplesPerField, "> 0");
    InvalidValueException.check(samplesPerEndpoint >= 1, "samplesPerEndpoint", samplesPerEndpoint, "> 0");
    InvalidValueException.check(samplesInMemory >= 1, "samplesInMemory", samplesInMemory, "> 0");
    InvalidValueException.check(sampleBodyBytes >= 0, "sampleBodyBytes", sampleBodyBytes, ">= 0");
    Objects.requireNonNull(retention, "retention");
    InvalidValueException.check(!retention.isNegative() && !retention.isZero(), "retention", retention, "> 0");
    Objects.requireNonNull(flushInterval, "flushInterval");
    InvalidValueException.check(flushInterval.toMillis() >= 1, "flushInterval", flushInterval, ">= 1 ms");
    InvalidValueException.check(flushBatch >= 1, "flushBatch", flushBatch, "> 0");
    InvalidValueException.check(trendMinutes >= 1, "trendMinutes", trendMinutes, "> 0");
  }

  /** Every declared default. */
  public static DashboardConfig defaults() {
    return from(ConfigView.of(Map.of()));
  }

  /** Reads the {@code shadowcar.diff.*} keys of {@link DashboardSettings}; problems land in {@code view}. */
  public static DashboardConfig from(ConfigView view) {
    return view.build(() -> new DashboardConfig(
            view.get(DashboardSettings.SAMPLES_PER_FIELD),
            view.get(DashboardSettings.SAMPLES_PER_ENDPOINT),
            view.get(DashboardSettings.SAMPLES_IN_MEMORY),
            view.get(DashboardSettings.SAMPLE_BODY_BYTES),
            view.get(DashboardSettings.STORE_ENABLED),
            view.get(DashboardSettings.STORE_RETENTION),
            view.get(DashboardSettings.STORE_FLUSH),
            view.get(DashboardSettings.STORE_FLUSH_BATCH),
            view.get(DashboardSettings.TREND_MINUTES)),
        Map.of("samplesPerField", DashboardSettings.SAMPLES_PER_FIELD.key(),
            "samplesPerEndpoint", DashboardSettings.SAMPLES_PER_ENDPOINT.key(),
            "samplesInMemory", DashboardSettings.SAMPLES_IN_MEMORY.key(),
            "sampleBodyBytes", DashboardSettings.SAMPLE_BODY_BYTES.key(),
            "retention", DashboardSettings.STORE_RETENTION.key(),
            "flushInterval", DashboardSettings.STORE_FLUSH.key(),
            "flushBatch", DashboardSettings.STORE_FLUSH_BATCH.key(),
            "trendMinutes", DashboardSettings.TREND_MINUTES.key()),
        DashboardSettings.SAMPLES_PER_FIELD.key());
  }

  public DashboardConfig withRetention(Duration newRetention) {
    return new DashboardConfig(samplesPerField, samplesPerEndpoint, samplesInMemory, sampleBodyBytes, storeEnabled,
        newRetention, flushInterval, flushBatch, trendMinutes);
  }

  public DashboardConfig withSamples(int perField, int perEndpoint, int inMemory) {
    return new DashboardConfig(perField, perEndpoint, inMemory, sampleBodyBytes, storeEnabled, retention,
        flushInterval, flushBatch, trendMinutes);
  }

  public DashboardConfig withFlush(Duration interval, int batch) {
    return new DashboardConfig(samplesPerField, samplesPerEndpoint, samplesInMemory, sampleBodyBytes, storeEnabled,
        retention, interval, batch, trendMinutes);
  }
}
