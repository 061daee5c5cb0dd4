package io.shadowcar.launcher.config;

import io.shadowcar.common.config.InvalidConfigException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.launcher.LauncherMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration in force: the last snapshot that bound cleanly, and the {@link SidecarConfig} made from it. When
 * a dynamic source changes, the new snapshot is bound; a valid one replaces the current config and listeners are told;
 * an invalid one is logged with every bad key, counted ({@code shadowcar_config_rejected_total}) and ignored, so the
 * last good config stays in force. A rejected snapshot is reported once: the polls that find the same bad content
 * again log and count nothing, so the log and the counter say how many bad changes were made, not how many polls ran.
 *
 * <p>Modules are not handed this object: the launcher passes them records.
 */
public final class LiveConfig implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveConfig.class);

  private final LayeredConfigSource source;
  private final List<ConfigChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Counter rejected;
  private final Counter applied;
  private volatile ConfigSnapshot snapshot;
  private volatile SidecarConfig config;
  /** The last snapshot that failed to bind, so a source that keeps serving it is not reported on every poll. */
  private ConfigSnapshot lastRejected;

  /**
   * Binds the source's current snapshot and starts following its changes.
   *
   * @throws InvalidConfigException when the current snapshot is invalid (start-up must fail)
   */
  public LiveConfig(LayeredConfigSource source, MeterRegistry registry) {
    this.source = source;
    this.rejected = Counter.builder(LauncherMetrics.CONFIG_REJECTED)
        .description("Dynamic configuration changes rejected by validation (last good config kept)")
        .register(registry);
    this.applied = Counter.builder(LauncherMetrics.CONFIG_APPLIED)
        .description("Dynamic configuration changes applied")
        .register(registry);
    this.snapshot = source.snapshot();
    this.config = ConfigBinder.bind(snapshot);
    source.onChange(this::reload);
  }

  public SidecarConfig current() {
    return config;
  }

  /** The raw values of the config in force (for {@code /api/config} and the template renderer). */
  public ConfigSnapshot snapshot() {
    return snapshot;
  }

  public void addListener(ConfigChangeListener listener) {
    listeners.add(listener);
  }

  /** Stops polling the dynamic sources. */
  @Override
  public void close() {
    source.close();
  }

  /** Re-reads the layers; called by the source on every poll, and by tests. */
  synchronized void reload() {
    ConfigSnapshot next = source.snapshot();
    if (next.equals(snapshot) || next.equals(lastRejected)) {
      return;
    }
    SidecarConfig bound;
    try {
      bound = ConfigBinder.bindChange(next);
    } catch (InvalidConfigException e) {
      lastRejected = next;
      rejected.increment();
      e.problems().forEach(p -> LOG.error("config change rejected, keeping the last good config: {}", p));
      return;
    }
    lastRejected = null;
    SidecarConfig previous = config;
    List<String> changed = changedKeys(snapshot, next);
    snapshot = next;
    config = bound;
    applied.increment();
    LOG.info("config change applied: {}", changed);
    for (ConfigChangeListener listener : listeners) {
      try {
        listener.onConfigChange(previous, bound);
      } catch (RuntimeException e) {
        LOG.error("config listener {} failed", listener, e);
      }
    }
  }

  /** Names only: values may be secrets. */
  private static List<String> changedKeys(ConfigSnapshot before, ConfigSnapshot after) {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>(before.values().keySet());
    keys.addAll(after.values().keySet());
    return keys.stream()
        .filter(k -> !java.util.Objects.equals(before.values().get(k), after.values().get(k)))
        .toList();
  }
}
