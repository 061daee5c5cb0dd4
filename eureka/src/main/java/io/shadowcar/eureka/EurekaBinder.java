package io.shadowcar.eureka;

import static io.shadowcar.eureka.EurekaSettings.*;

import io.shadowcar.common.config.ConfigView;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Binds {@code shadowcar.eureka.*} ({@link EurekaSettings}) from a {@link ConfigView} to an {@link EurekaConfig},
 * recording every problem in the view on its exact key. The health and status URLs Eureka shows point at the
 * sidecar's port that serves them (its health port, or its admin port) on the managed instance's address.
 */
public final class EurekaBinder {

  private static final Map<String, String> FIELDS = Map.ofEntries(
      Map.entry("serviceUrls", SERVICE_URL.key()),
      Map.entry("app", APP.key()),
      Map.entry("vipAddress", VIP_ADDRESS.key()),
      Map.entry("instanceHost", INSTANCE_HOST.key()),
      Map.entry("instanceIp", INSTANCE_IP.key()),
      Map.entry("instancePort", INSTANCE_PORT.key()),
      Map.entry("instanceId", INSTANCE_ID.key()),
      Map.entry("heartbeatInterval", HEARTBEAT.key()),
      Map.entry("leaseDuration", LEASE.key()),
      Map.entry("drain", DRAIN.key()),
      Map.entry("retryMin", RETRY_MIN.key()),
      Map.entry("retryMax", RETRY_MAX.key()),
      Map.entry("requestTimeout", REQUEST_TIMEOUT.key()),
      Map.entry("discoveryRefresh", DISCOVERY_REFRESH.key()));

  private EurekaBinder() {}

  /**
   * The Eureka configuration, or {@code null} after recording a problem in {@code view}.
   *
   * @param statusHost the host of the sidecar's port serving {@code /healthcheck}, used in the URLs when no instance
   *     host or IP is set
   * @param statusPort that port (the health port, or the admin port when there is none)
   */
  public static EurekaConfig bind(ConfigView view, String statusHost, int statusPort) {
    return bind(view, "http", statusHost, statusPort);
  }

  /**
   * As {@link #bind(ConfigView, String, int)}, for a status port that speaks {@code statusScheme} ({@code https} for
   * an admin port with TLS).
   */
  public static EurekaConfig bind(ConfigView view, String statusScheme, String statusHost, int statusPort) {
    boolean enabled = view.get(ENABLED);
    var serviceUrls = view.get(SERVICE_URL);
    String app = view.get(APP);
    String vip = view.get(VIP_ADDRESS);
    String ip = view.get(INSTANCE_IP);
    String host = view.get(INSTANCE_HOST);
    Integer port = view.get(INSTANCE_PORT);
    String id = view.get(INSTANCE_ID);
    Map<String, String> metadata = view.subKeys(METADATA);
    Duration heartbeat = view.get(HEARTBEAT);
    Duration lease = view.get(LEASE);
    Duration drain = view.get(DRAIN);
    Duration retryMin = view.get(RETRY_MIN);
    Duration retryMax = view.get(RETRY_MAX);
    Duration timeout = view.get(REQUEST_TIMEOUT);
    Duration refresh = view.get(DISCOVERY_REFRESH);
    String urlHost = !host.isEmpty() ? host : !ip.isEmpty() ? ip : statusHost;
    URI adminBase = URI.create(statusScheme + "://" + urlHost + ":" + statusPort);
    return view.build(() -> new EurekaConfig(enabled, serviceUrls, app, vip, host, ip, port == null ? 0 : port, id,
        adminBase.resolve("/healthcheck"), adminBase.resolve("/api/status"), metadata, heartbeat, lease, drain,
        retryMin, retryMax, timeout, refresh), FIELDS, ENABLED.key());
  }
}
