package io.shadowcar.launcher.config;

import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.tee.TeeConfig;
import java.util.Objects;

/**
 * Everything the launcher binds from one snapshot: the modules' own records plus what only the launcher uses.
 * Immutable; a reload produces a new one.
 *
 * @param proxy the traffic port and primary client ({@code shadowcar.proxy.*}, {@code shadowcar.primary.*})
 * @param admin the admin port
 * @param dynamic the dynamic configuration sources
 * @param primaryTargets where requests go
 * @param shadowTargets where HTTP copies go (empty: no HTTP shadow)
 * @param tee what is copied ({@code shadowcar.shadow.*}, {@code shadowcar.routes.*}); its kill switch is also off when
 *     no sink is configured
 * @param httpSink limits of the HTTP shadow sink
 */
public record SidecarConfig(
    ProxyConfig proxy,
    ListenAddress admin,
    DynamicSources dynamic,
    TargetsSpec primaryTargets,
    TargetsSpec shadowTargets,
    TeeConfig tee,
    HttpShadowSinkConfig httpSink) {

  public SidecarConfig {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(dynamic, "dynamic");
    Objects.requireNonNull(primaryTargets, "primaryTargets");
    Objects.requireNonNull(shadowTargets, "shadowTargets");
    Objects.requireNonNull(tee, "tee");
    Objects.requireNonNull(httpSink, "httpSink");
  }
}
