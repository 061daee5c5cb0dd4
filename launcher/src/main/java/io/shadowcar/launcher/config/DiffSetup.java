package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.dashboard.DashboardConfig;
import io.shadowcar.dashboard.DiffConfigBinder;
import io.shadowcar.dashboard.DiffSettings;
import io.shadowcar.dashboard.RecordingPolicy;
import io.shadowcar.diff.DiffConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the in-process diff is built from ({@code shadowcar.diff.*}, {@code shadowcar.data.dir}).
 *
 * @param policy on / off and the share compared; changes apply at runtime
 * @param comparison thresholds, ignore rules, templates; changes apply at runtime
 * @param dashboard the recorder's and the store's fixed limits (a change needs a restart)
 * @param dataDir where the store lives ({@code diff.db}); read at start
 * @param queueMaxExchanges exchanges waiting for the diff, at most (read at start)
 * @param queueMaxBytes body bytes of those exchanges, at most (read at start)
 */
public record DiffSetup(RecordingPolicy policy, DiffConfig comparison, DashboardConfig dashboard, Path dataDir,
    int queueMaxExchanges, long queueMaxBytes) {

  public DiffSetup {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(comparison, "comparison");
    Objects.requireNonNull(dashboard, "dashboard");
    Objects.requireNonNull(dataDir, "dataDir");
  }

  /** Binds every diff key; problems land in {@code in} (the result is then not to be used). */
  static DiffSetup bind(ConfigView in) {
    RecordingPolicy policy = RecordingPolicy.from(in);
    DiffConfig comparison = DiffConfigBinder.bind(in);
    DashboardConfig dashboard = DashboardConfig.from(in);
    Path dataDir = in.get(LauncherSettings.DATA_DIR);
    int maxExchanges = in.get(DiffSettings.QUEUE_MAX_EXCHANGES);
    long maxBytes = in.get(DiffSettings.QUEUE_MAX_BYTES);
    if (policy == null || comparison == null || dashboard == null) {
      return null;
    }
    return new DiffSetup(policy, comparison, dashboard, dataDir, maxExchanges, maxBytes);
  }
}
