package io.shadowcar.launcher.config;

import io.shadowcar.eureka.EurekaConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds {@code shadowcar.eureka.*} to {@link EurekaConfig}. The health and status URLs Eureka shows point at this
 * sidecar's admin port on the managed instance's address.
 */
final class EurekaBinder {

  static final String PREFIX = "shadowcar.eureka.";
  private static final String METADATA = PREFIX + "metadata.";
  private static final Map<String, String> FIELDS = Map.ofEntries(
      Map.entry("serviceUrls", PREFIX + "serviceUrl"),
      Map.entry("app", PREFIX + "app"),
      Map.entry("vipAddress", PREFIX + "vipAddress"),
      Map.entry("instanceHost", PREFIX + "instanceHost"),
      Map.entry("instanceIp", PREFIX + "instanceIp"),
      Map.entry("instancePort", PREFIX + "instancePort"),
      Map.entry("instanceId", PREFIX + "instanceId"),
      Map.entry("heartbeatInterval", PREFIX + "heartbeat.ms"),
      Map.entry("leaseDuration", PREFIX + "lease.ms"),
      Map.entry("drain", PREFIX + "drain.ms"),
      Map.entry("retryMin", PREFIX + "retry.min.ms"),
      Map.entry("retryMax", PREFIX + "retry.max.ms"),
      Map.entry("requestTimeout", PREFIX + "request.timeout.ms"),
      Map.entry("discoveryRefresh", PREFIX + "discovery.refresh.ms"));

  private EurekaBinder() {}

  static EurekaConfig eureka(ConfigReader in, ListenAddress admin) {
    EurekaConfig d = EurekaConfig.defaults();
    boolean enabled = in.bool(PREFIX + "enabled", false);
    List<URI> serviceUrls = new ArrayList<>();
    for (String raw : in.list(PREFIX + "serviceUrl", List.of(d.serviceUrls().get(0).toString()))) {
      try {
        URI url = new URI(raw);
        if (url.getScheme() == null || url.getHost() == null) {
          throw new java.net.URISyntaxException(raw, "not absolute");
        }
        serviceUrls.add(url);
      } catch (java.net.URISyntaxException e) {
        in.problem(PREFIX + "serviceUrl", "comma list of Eureka base URLs, e.g. http://eureka:8761/eureka");
      }
    }
    String app = in.string(PREFIX + "app", "");
    String ip = in.string(PREFIX + "instanceIp", "");
    String host = in.string(PREFIX + "instanceHost", "");
    int port = in.intIn(PREFIX + "instancePort", 0, 0, 65535, "port 1-65535");
    Map<String, String> metadata = new HashMap<>();
    in.snapshot().values().tailMap(METADATA).forEach((key, value) -> {
      if (key.startsWith(METADATA)) {
        metadata.put(key.substring(METADATA.length()), value);
      }
    });
    String adminHost = !host.isEmpty() ? host : !ip.isEmpty() ? ip : admin.host();
    URI adminBase = URI.create("http://" + adminHost + ":" + admin.port());
    Duration heartbeat = ms(in, "heartbeat.ms", d.heartbeatInterval());
    Duration lease = ms(in, "lease.ms", d.leaseDuration());
    Duration drain = ms(in, "drain.ms", d.drain());
    Duration retryMin = ms(in, "retry.min.ms", d.retryMin());
    Duration retryMax = ms(in, "retry.max.ms", d.retryMax());
    Duration timeout = ms(in, "request.timeout.ms", d.requestTimeout());
    Duration refresh = ms(in, "discovery.refresh.ms", d.discoveryRefresh());
    return in.record(() -> new EurekaConfig(enabled, serviceUrls, app, in.string(PREFIX + "vipAddress", ""), host, ip,
        port, in.string(PREFIX + "instanceId", ""), adminBase.resolve("/healthcheck"), adminBase.resolve("/api/status"),
        metadata, heartbeat, lease, drain, retryMin, retryMax, timeout, refresh), FIELDS, PREFIX + "enabled");
  }

  private static Duration ms(ConfigReader in, String suffix, Duration fallback) {
    return in.millis(PREFIX + suffix, fallback, "milliseconds > 0");
  }
}
