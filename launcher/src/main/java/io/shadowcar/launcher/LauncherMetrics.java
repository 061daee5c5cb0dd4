package io.shadowcar.launcher;

/** Metric names owned by the launcher (Prometheus adds {@code _total} to counters). */
public final class LauncherMetrics {

  /** Dynamic changes that failed validation and were not applied: {@code shadowcar_config_rejected_total}. */
  public static final String CONFIG_REJECTED = "shadowcar.config.rejected";

  /** Dynamic changes that were validated and applied: {@code shadowcar_config_applied_total}. */
  public static final String CONFIG_APPLIED = "shadowcar.config.applied";

  private LauncherMetrics() {}
}
