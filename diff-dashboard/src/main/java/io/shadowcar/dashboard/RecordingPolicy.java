package io.shadowcar.dashboard;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.InvalidValueException;
import java.util.Map;

/**
 * Whether exchanges are compared at all, and which share of them: the two knobs an operator turns at runtime. Swapped
 * as a whole with {@link DiffRecorder#updatePolicy}.
 *
 * @param samplePercent share of exchanges compared, 0-100; the rest are counted as skipped ({@code sampled_out})
 */
public record RecordingPolicy(boolean enabled, double samplePercent) {

  public RecordingPolicy {
    InvalidValueException.check(samplePercent >= 0 && samplePercent <= 100, "samplePercent", samplePercent,
        "percent 0-100");
  }

  public static RecordingPolicy defaults() {
    return new RecordingPolicy(DashboardSettings.ENABLED.defaultValue(),
        DashboardSettings.SAMPLE_PERCENT.defaultValue());
  }

  /** Reads {@code shadowcar.diff.enabled} and {@code shadowcar.diff.sample.percent}; problems land in {@code view}. */
  public static RecordingPolicy from(ConfigView view) {
    return view.build(() -> new RecordingPolicy(view.get(DashboardSettings.ENABLED),
            view.get(DashboardSettings.SAMPLE_PERCENT)),
        Map.of("samplePercent", DashboardSettings.SAMPLE_PERCENT.key()), DashboardSettings.ENABLED.key());
  }
}
