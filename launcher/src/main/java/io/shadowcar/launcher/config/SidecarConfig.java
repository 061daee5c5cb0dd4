package io.shadowcar.launcher.config;

import io.shadowcar.health.HealthConfig;
import io.shadowcar.eureka.EurekaConfig;
import io.shadowcar.templates.TemplateConfig;
import io.shadowcar.launcher.logging.AccessLogConfig;
import io.shadowcar.proxy.ForwardingPolicy;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.proxy.TrustedProxies;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.sink.BoundSink;
import java.util.List;
import java.util.Optional;
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
 * @param secondaryTargets where HTTP copies also go, for the diff's noise (empty: no secondary)
 * @param tee what is copied ({@code shadowcar.shadow.*}, {@code shadowcar.routes.*}); its kill switch is also off when
 *     no sink is configured
 * @param sinks the configured sinks, each a provider's tag with its bound config, by tag (e.g. {@code http} when
 *     {@code shadowcar.shadow.targets} is set, {@code kafka} when {@code shadowcar.shadow.kafka.bootstrap} is)
 * @param health the agent's checks, thresholds and kill switch (bound once: checks are local config)
 * @param eureka registration and VIP discovery
 * @param templates the templated files
 * @param diff the in-process diff of shadow answers and its dashboard
 * @param accessLog the access log's switch and sampling (changeable at runtime)
 * @param adminAccess the admin token and the host names the admin port answers
 * @param healthPort the read-only health port for load balancers and Eureka, when there is one
 * @param trustedProxies peers whose forwarding headers the traffic port believes
 * @param mask which header values are masked in what is stored or published, and the key's source
 * @param adminTls TLS on the admin port (certificate and key files, reloaded on change); empty = plain HTTP
 * @param transport the network transport the event loops run on (read at start only)
 * @param threadNice the scheduling priority of the threads doing shadow work (read at start only; 0 = unchanged)
 */
public record SidecarConfig(
    ProxyConfig proxy,
    ListenAddress admin,
    DynamicSources dynamic,
    TargetsSpec primaryTargets,
    TargetsSpec shadowTargets,
    TargetsSpec secondaryTargets,
    TeeConfig tee,
    List<BoundSink<?>> sinks,
    HealthConfig health,
    EurekaConfig eureka,
    List<TemplateConfig> templates,
    DiffSetup diff,
    AccessLogConfig accessLog,
    AdminAccessConfig adminAccess,
    Optional<ListenAddress> healthPort,
    TrustedProxies trustedProxies,
    MaskConfig mask,
    Optional<ServerTls> adminTls,
    NetworkTransport transport,
    int threadNice) {

  public SidecarConfig {
    sinks = List.copyOf(sinks);
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(eureka, "eureka");
    templates = List.copyOf(templates);
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(dynamic, "dynamic");
    Objects.requireNonNull(primaryTargets, "primaryTargets");
    Objects.requireNonNull(shadowTargets, "shadowTargets");
    Objects.requireNonNull(secondaryTargets, "secondaryTargets");
    Objects.requireNonNull(tee, "tee");
    Objects.requireNonNull(diff, "diff");
    Objects.requireNonNull(accessLog, "accessLog");
    Objects.requireNonNull(adminAccess, "adminAccess");
    Objects.requireNonNull(healthPort, "healthPort");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    Objects.requireNonNull(mask, "mask");
    Objects.requireNonNull(adminTls, "adminTls");
    Objects.requireNonNull(transport, "transport");
  }

  /**
   * What the traffic port believes and removes: the trusted proxies, and the copies' marker header, which no caller
   * may send to the primary (it follows {@code shadowcar.shadow.header} at runtime).
   */
  public ForwardingPolicy forwarding() {
    return new ForwardingPolicy(trustedProxies, java.util.Set.of(tee.markerHeader()));
  }

  /** The bound config of the sink tagged {@code tag}, when it is configured. */
  public <C> Optional<C> sinkConfig(String tag, Class<C> type) {
    return sinks.stream().filter(sink -> sink.tag().equals(tag)).map(sink -> type.cast(sink.config())).findFirst();
  }
}
