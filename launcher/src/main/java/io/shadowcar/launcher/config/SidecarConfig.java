package io.shadowcar.launcher.config;

import io.shadowcar.health.HealthConfig;
import io.shadowcar.eureka.EurekaConfig;
import io.shadowcar.templates.TemplateConfig;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.sink.kafka.KafkaShadowSinkConfig;
import java.util.List;
import java.util.Optional;
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
 * @param kafkaSink the Kafka sink, when {@code shadowcar.shadow.kafka.bootstrap} is set
 * @param health the agent's checks, thresholds and kill switch (bound once: checks are local config)
 * @param eureka registration and VIP discovery
 * @param templates the templated files
 */
public record SidecarConfig(
    ProxyConfig proxy,
    ListenAddress admin,
    DynamicSources dynamic,
    TargetsSpec primaryTargets,
    TargetsSpec shadowTargets,
    TeeConfig tee,
    HttpShadowSinkConfig httpSink,
    Optional<KafkaShadowSinkConfig> kafkaSink,
    HealthConfig health,
    EurekaConfig eureka,
    List<TemplateConfig> templates) {

  public SidecarConfig {
    Objects.requireNonNull(kafkaSink, "kafkaSink");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(eureka, "eureka");
    templates = List.copyOf(templates);
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(dynamic, "dynamic");
    Objects.requireNonNull(primaryTargets, "primaryTargets");
    Objects.requireNonNull(shadowTargets, "shadowTargets");
    Objects.requireNonNull(tee, "tee");
    Objects.requireNonNull(httpSink, "httpSink");
  }
}
