package io.shadowcar.launcher;

/** Metric names owned by the launcher (Prometheus adds {@code _total} to counters). */
public final class LauncherMetrics {

  /** Dynamic changes that failed validation and were not applied: {@code shadowcar_config_rejected_total}. */
  public static final String CONFIG_REJECTED = "shadowcar.config.rejected";

  /** Dynamic changes that were validated and applied: {@code shadowcar_config_applied_total}. */
  public static final String CONFIG_APPLIED = "shadowcar.config.applied";

  /**
   * Requests the admin port refused, tag {@code reason} ({@code host}, {@code cross_origin}, {@code token},
   * {@code not_local}): {@code shadowcar_admin_refused_total}.
   */
  public static final String ADMIN_REFUSED = "shadowcar.admin.refused";

  private LauncherMetrics() {}
}
