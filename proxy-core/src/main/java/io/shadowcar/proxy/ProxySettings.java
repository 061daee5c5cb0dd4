package io.shadowcar.proxy;

import io.shadowcar.common.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The keys of the traffic port and the primary client ({@code shadowcar.proxy.*}, {@code shadowcar.primary.*}), each
 * declared once; the defaults are {@link ProxyConfig}'s constants, so embedding and binding agree. The launcher binds them into a {@link ProxyConfig}; the primary's target list is the
 * launcher's own key because it may name Eureka VIPs.
 */
public final class ProxySettings {

  public static final Setting<String> HOST =
      Setting.string("shadowcar.proxy.host", ProxyConfig.DEFAULT_HOST, "interface of the traffic port");
  public static final Setting<Integer> PORT = Setting.intIn("shadowcar.proxy.port", String.valueOf(ProxyConfig.DEFAULT_PORT), 0, 65535,
      "port 0-65535 (0 = any free port)", "traffic port");
  public static final Setting<Integer> EVENT_LOOPS = Setting.intIn("shadowcar.proxy.eventLoops", null, 1, 256,
      "integer 1-256", "server+client pairs, one per event loop; unset = one per core");
  public static final Setting<Long> DRAIN_SECONDS = Setting.longIn("shadowcar.proxy.drainSeconds",
      String.valueOf(ProxyConfig.DEFAULT_DRAIN_SECONDS), 0, 3600,
      "seconds 0-3600", "on SIGTERM, how long in-flight requests may finish");
  public static final Setting<Duration> PRIMARY_TIMEOUT = Setting.millis("shadowcar.primary.timeout.ms",
      ProxyConfig.DEFAULT_PRIMARY_TIMEOUT_MS, 1,
      "primary response timeout; 504 on expiry");
  public static final Setting<Integer> PRIMARY_CONNECT_TIMEOUT_MS = Setting.intIn(
      "shadowcar.primary.connectTimeout.ms", String.valueOf(ProxyConfig.DEFAULT_CONNECT_TIMEOUT_MS), 1, 600_000,
      "milliseconds 1-600000",
      "TCP connect timeout to a primary; 502 on failure");
  public static final Setting<Integer> PRIMARY_MAX_POOL_SIZE = Setting.intIn("shadowcar.primary.maxPoolSize",
      String.valueOf(ProxyConfig.DEFAULT_MAX_POOL_SIZE_PER_TARGET), 1, 10_000, "integer 1-10000",
      "keep-alive connections per primary target and event loop");

  public static final Setting<Boolean> H2C_UPGRADE = Setting.bool("shadowcar.proxy.h2c.upgrade",
      ProxyConfig.DEFAULT_H2C_UPGRADE,
      "honour Upgrade: h2c (101 to HTTP/2); off = served as HTTP/1.1, prior-knowledge h2c still accepted");

  private ProxySettings() {}

  public static List<Setting<?>> all() {
    return List.of(HOST, PORT, EVENT_LOOPS, DRAIN_SECONDS, PRIMARY_TIMEOUT, PRIMARY_CONNECT_TIMEOUT_MS,
        PRIMARY_MAX_POOL_SIZE, H2C_UPGRADE);
  }
}
