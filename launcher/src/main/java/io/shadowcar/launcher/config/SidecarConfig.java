package io.shadowcar.launcher.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the launcher binds from one snapshot: where to listen, how long to drain, the dynamic sources, and the
 * per-module records. Immutable; a reload produces a new one.
 *
 * @param proxy the traffic port
 * @param admin the admin port
 * @param drain how long shutdown waits for in-flight requests
 * @param dynamic the dynamic configuration sources
 * @param primary the primary cluster
 * @param shadow everything about copies
 */
public record SidecarConfig(
    ListenAddress proxy,
    ListenAddress admin,
    Duration drain,
    DynamicSources dynamic,
    PrimarySettings primary,
    ShadowSettings shadow) {

  public SidecarConfig {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(dynamic, "dynamic");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(shadow, "shadow");
  }
}
