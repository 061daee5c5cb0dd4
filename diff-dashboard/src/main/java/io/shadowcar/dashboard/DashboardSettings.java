package io.shadowcar.dashboard;

import io.shadowcar.common.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The keys of the diff recorder, its store and its page ({@code shadowcar.diff.*}), each declared once with its
 * default. The comparison's own keys (thresholds, ignore rules, templates) belong to whoever builds the
 * {@code DiffConfig}; the store's directory is the launcher's {@code shadowcar.data.dir}.
 */
public final class DashboardSettings {

  public static final Setting<Boolean> ENABLED = Setting.bool("shadowcar.diff.enabled", true,
      "compare shadow answers with the primary's; false = nothing is captured or queued for the diff").runtime();
  public static final Setting<Double> SAMPLE_PERCENT = Setting.doubleIn("shadowcar.diff.sample.percent", "100", 0,
      100, "percent 0-100", "share of exchanges compared").runtime();
  public static final Setting<Integer> SAMPLES_PER_FIELD = Setting.intIn("shadowcar.diff.samples.perField", "5", 1,
      100, "integer 1-100", "example exchanges kept per endpoint and field path");
  public static final Setting<Integer> SAMPLES_PER_ENDPOINT = Setting.intIn("shadowcar.diff.samples.perEndpoint",
      "20", 1, 1000, "integer 1-1000", "example exchanges kept per endpoint with any difference, and as many same");
  public static final Setting<Integer> SAMPLES_IN_MEMORY = Setting.intIn("shadowcar.diff.samples.maxInMemory",
      "2000", 10, 1_000_000, "integer 10-1000000", "example exchanges held in memory at most (oldest go first)");
  public static final Setting<Integer> SAMPLE_BODY_BYTES = Setting.intIn("shadowcar.diff.samples.maxBodyBytes",
      "16384", 0, 16 * 1024 * 1024, "bytes 0-16777216", "body bytes kept per request or response of an example");
  public static final Setting<Boolean> STORE_ENABLED = Setting.bool("shadowcar.diff.store.enabled", true,
      "keep results in SQLite under shadowcar.data.dir (diff.db); false = memory only");
  public static final Setting<Duration> STORE_RETENTION = Setting.millis("shadowcar.diff.store.retention.ms",
      7L * 24 * 3600 * 1000, 60_000, "stored example exchanges older than this are deleted (default 7 days)");
  public static final Setting<Duration> STORE_FLUSH = Setting.millis("shadowcar.diff.store.flush.ms", 1000, 10,
      "how often new results are written to the store");
  public static final Setting<Integer> STORE_FLUSH_BATCH = Setting.intIn("shadowcar.diff.store.flushBatch",
      "500", 1, 100_000, "integer 1-100000", "new examples waiting that trigger a write before the next flush tick"
      + " (those already replaced in memory by newer ones do not count)");
  public static final Setting<Integer> TREND_MINUTES = Setting.intIn("shadowcar.diff.trend.minutes", "60", 1, 1440,
      "minutes 1-1440", "per-minute counts kept per endpoint for the trend column");

  private DashboardSettings() {}

  public static List<Setting<?>> all() {
    return List.of(ENABLED, SAMPLE_PERCENT, SAMPLES_PER_FIELD, SAMPLES_PER_ENDPOINT, SAMPLES_IN_MEMORY,
        SAMPLE_BODY_BYTES, STORE_ENABLED, STORE_RETENTION, STORE_FLUSH, STORE_FLUSH_BATCH, TREND_MINUTES);
  }
}
