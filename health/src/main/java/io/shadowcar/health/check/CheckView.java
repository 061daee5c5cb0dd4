package io.shadowcar.health.check;

import io.shadowcar.health.CheckStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * An immutable picture of one check for the admin API and the page.
 *
 * @param status the thresholded status (what counts)
 * @param lastResultStatus what the last run found, {@code null} before the first run
 * @param output output of the last run
 * @param duration duration of the last run, {@code null} before the first run
 * @param lastRun when the last run finished, {@code null} before the first run
 */
public record CheckView(
    String name,
    CheckKind kind,
    String target,
    CheckStatus status,
    CheckStatus lastResultStatus,
    String output,
    Duration duration,
    Instant lastRun,
    int successStreak,
    int failureStreak,
    long runs,
    Thresholds thresholds) {}
