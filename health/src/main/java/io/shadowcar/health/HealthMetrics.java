package io.shadowcar.health;

/**
 * Metric names and tags of the health agent. Tag values are bounded: check names come from local configuration only.
 * Status gauges use 0 = passing, 1 = warning, 2 = critical.
 */
public final class HealthMetrics {

  /** Gauge per check (tags {@code check}, {@code kind}): its thresholded status. */
  public static final String CHECK_STATUS = "shadowcar.health.check.status";
  /** Timer per check (tags {@code check}, {@code kind}, {@code result}): duration of each run. */
  public static final String CHECK_DURATION = "shadowcar.health.check.duration";
  /** Gauge: the aggregate (worst) status over all checks. */
  public static final String STATUS = "shadowcar.health.status";
  /** Gauge: 1 once ready, else 0. */
  public static final String READY = "shadowcar.health.ready";
  /** Gauge: 1 while out of service (kill switch file or operator), else 0. */
  public static final String OUT_OF_SERVICE = "shadowcar.health.out.of.service";

  public static final String TAG_CHECK = "check";
  public static final String TAG_KIND = "kind";
  public static final String TAG_RESULT = "result";

  private HealthMetrics() {}
}
