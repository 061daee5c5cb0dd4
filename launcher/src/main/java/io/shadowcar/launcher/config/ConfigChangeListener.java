package io.shadowcar.launcher.config;

/**
 * Told about every applied configuration change, on the config poller thread. Must return quickly (swap a reference,
 * schedule work) and never throw.
 */
@FunctionalInterface
public interface ConfigChangeListener {
  void onConfigChange(SidecarConfig previous, SidecarConfig current);
}
