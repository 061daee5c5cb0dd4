package io.shadowcar.proxy;

import io.shadowcar.common.config.Setting;
import io.shadowcar.proxy.tls.ServerTlsSettings;
import io.shadowcar.proxy.tls.UpstreamAlpn;
import io.shadowcar.proxy.tls.UpstreamTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

  public static final Setting<Long> IDLE_TIMEOUT = Setting.longIn("shadowcar.proxy.idleTimeout.ms",
      String.valueOf(ProxyConfig.DEFAULT_IDLE_TIMEOUT_MS), 0, CallerLimits.MAX_TIMEOUT_MS,
      "milliseconds 0-3600000 (0 = off)", "a caller connection without traffic for this long is closed; never "
          + "shorter than shadowcar.primary.timeout.ms + 1 s, so a slow primary gets its 504");
  public static final Setting<Integer> MAX_CONNECTIONS = Setting.intIn("shadowcar.proxy.maxConnections",
      String.valueOf(CallerLimits.DEFAULT_MAX_CONNECTIONS), 1, CallerLimits.MAX_CONNECTIONS, "integer 1-100000",
      "open caller connections at most; a new one over it is closed at once (shadowcar_proxy_connections_refused)");
  public static final Setting<Long> HEADER_TIMEOUT = Setting.longIn("shadowcar.proxy.headerTimeout.ms",
      String.valueOf(CallerLimits.DEFAULT_HEADER_TIMEOUT_MS), 0, CallerLimits.MAX_TIMEOUT_MS,
      "milliseconds 0-3600000 (0 = off)", "a request head must be complete this long after its first byte (a new "
          + "connection's: after it opened); over it 408 and close");
  public static final Setting<Long> BODY_IDLE_TIMEOUT = Setting.longIn("shadowcar.proxy.bodyIdleTimeout.ms",
      String.valueOf(CallerLimits.DEFAULT_BODY_IDLE_TIMEOUT_MS), 0, CallerLimits.MAX_TIMEOUT_MS,
      "milliseconds 0-3600000 (0 = off)", "a request body that receives nothing for this long: 408 and close");
  public static final Setting<Integer> REQUEST_BUFFER_BYTES = Setting.intIn("shadowcar.proxy.requestBuffer.bytes",
      String.valueOf(CallerLimits.DEFAULT_REQUEST_BUFFER_BYTES), 0, CallerLimits.MAX_REQUEST_BUFFER_BYTES,
      "bytes 0-16777216 (0 = stream every body)", "request bodies up to this size are read completely before a "
          + "primary connection is taken; larger ones are streamed");
  public static final Setting<Long> REQUEST_BUFFER_TOTAL_BYTES = Setting.longIn(
      "shadowcar.proxy.requestBuffer.totalBytes", String.valueOf(CallerLimits.DEFAULT_REQUEST_BUFFER_TOTAL_BYTES), 0,
      CallerLimits.MAX_REQUEST_BUFFER_TOTAL_BYTES, "bytes 0-1073741824, >= requestBuffer.bytes",
      "bytes all bodies read ahead may hold together; past it a body is streamed");
  public static final Setting<Long> NOT_READY_DELAY = Setting.longIn("shadowcar.proxy.shutdown.notReadyDelay.ms",
      String.valueOf(ProxyConfig.DEFAULT_NOT_READY_DELAY_MS), 0, ProxyConfig.MAX_NOT_READY_DELAY_MS,
      "milliseconds 0-600000", "on SIGTERM, how long /healthcheck and /ready answer 503 while traffic is still "
          + "served normally, before the drain");

  public static final Setting<Boolean> H2C_UPGRADE = Setting.bool("shadowcar.proxy.h2c.upgrade",
      ProxyConfig.DEFAULT_H2C_UPGRADE,
      "honour Upgrade: h2c (101 to HTTP/2); off = served as HTTP/1.1, prior-knowledge h2c still accepted");

  public static final Setting<List<String>> TRUSTED_PROXIES = Setting.list("shadowcar.proxy.trustedProxies", "",
      "comma list of IPv4/IPv6 addresses or CIDR blocks, e.g. 10.0.0.0/8, fd00::/8",
      "peers whose X-Forwarded-* and Forwarded headers are believed; from others they are replaced");
  public static final Setting<Integer> TUNNELS_MAX = Setting.intIn("shadowcar.proxy.tunnels.max",
      String.valueOf(TunnelConfig.DEFAULT_MAX), 0, 1_000_000, "integer 0-1000000",
      "open Upgrade tunnels (WebSocket) allowed at once; over it 503; 0 = Upgrade ignored, served as plain HTTP");
  public static final Setting<Duration> TUNNELS_IDLE_TIMEOUT = Setting.millis("shadowcar.proxy.tunnels.idleTimeout.ms",
      TunnelConfig.DEFAULT_IDLE_TIMEOUT_MS, 1, "a tunnel with no byte either way for this long is closed");
  public static final ServerTlsSettings TLS = ServerTlsSettings.of("shadowcar.proxy.tls", "traffic port");
  public static final Setting<Optional<Path>> TLS_CERT_FILE = TLS.certFile();
  public static final Setting<Optional<Path>> TLS_KEY_FILE = TLS.keyFile();
  public static final Setting<Integer> TLS_POLL_SECONDS = TLS.pollSeconds();
  public static final Setting<Optional<Path>> PRIMARY_TLS_CA_FILE = Setting.path("shadowcar.primary.tls.caFile",
      "PEM CA certificates trusted for https:// primaries instead of the JVM's; empty = the JVM's");
  public static final Setting<Boolean> PRIMARY_TLS_VERIFY_HOSTNAME = Setting.bool(
      "shadowcar.primary.tls.verifyHostname", UpstreamTls.DEFAULT_VERIFY_HOSTNAME,
      "an https:// primary's certificate must name its host; false is logged as a WARN at start");
  public static final Setting<UpstreamAlpn> PRIMARY_TLS_ALPN = UpstreamAlpn.setting("shadowcar.primary.tls.alpn",
      "primaries");

  private ProxySettings() {}

  public static List<Setting<?>> all() {
    return List.of(HOST, PORT, EVENT_LOOPS, DRAIN_SECONDS, PRIMARY_TIMEOUT, PRIMARY_CONNECT_TIMEOUT_MS,
        PRIMARY_MAX_POOL_SIZE, IDLE_TIMEOUT, MAX_CONNECTIONS, HEADER_TIMEOUT, BODY_IDLE_TIMEOUT, REQUEST_BUFFER_BYTES,
        REQUEST_BUFFER_TOTAL_BYTES, NOT_READY_DELAY, H2C_UPGRADE, TRUSTED_PROXIES, TLS_CERT_FILE, TLS_KEY_FILE,
        TLS_POLL_SECONDS, PRIMARY_TLS_CA_FILE, PRIMARY_TLS_VERIFY_HOSTNAME, PRIMARY_TLS_ALPN, TUNNELS_MAX, TUNNELS_IDLE_TIMEOUT);
  }
}
