package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.proxy.CallerLimits;
import io.shadowcar.proxy.ProxyConfig;
import io.shadowcar.proxy.ProxySettings;
import io.shadowcar.proxy.TrustedProxies;
import io.shadowcar.proxy.TunnelConfig;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.tls.TlsBinding;
import io.shadowcar.proxy.tls.UpstreamTls;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Binds {@code shadowcar.proxy.*} and {@code shadowcar.primary.*} to proxy-core's {@link ProxyConfig}. */
final class ProxyBinder {

  private static final Map<String, String> FIELDS = Map.ofEntries(
      Map.entry("host", ProxySettings.HOST.key()),
      Map.entry("port", ProxySettings.PORT.key()),
      Map.entry("primaryTimeoutMs", ProxySettings.PRIMARY_TIMEOUT.key()),
      Map.entry("connectTimeoutMs", ProxySettings.PRIMARY_CONNECT_TIMEOUT_MS.key()),
      Map.entry("maxPoolSizePerTarget", ProxySettings.PRIMARY_MAX_POOL_SIZE.key()),
      Map.entry("idleTimeoutMs", ProxySettings.IDLE_TIMEOUT.key()),
      Map.entry("drainTimeoutMs", ProxySettings.DRAIN_SECONDS.key()),
      Map.entry("eventLoops", ProxySettings.EVENT_LOOPS.key()),
      Map.entry("h2cUpgrade", ProxySettings.H2C_UPGRADE.key()),
      Map.entry("notReadyDelayMs", ProxySettings.NOT_READY_DELAY.key()),
      Map.entry("tunnels.max", ProxySettings.TUNNELS_MAX.key()),
      Map.entry("tunnels.idleTimeoutMs", ProxySettings.TUNNELS_IDLE_TIMEOUT.key()));
  private static final Map<String, String> CALLER_FIELDS = Map.of(
      "maxConnections", ProxySettings.MAX_CONNECTIONS.key(),
      "headerTimeoutMs", ProxySettings.HEADER_TIMEOUT.key(),
      "bodyIdleTimeoutMs", ProxySettings.BODY_IDLE_TIMEOUT.key(),
      "requestBufferBytes", ProxySettings.REQUEST_BUFFER_BYTES.key(),
      "requestBufferTotalBytes", ProxySettings.REQUEST_BUFFER_TOTAL_BYTES.key());

  private ProxyBinder() {}

  static ProxyConfig proxy(ConfigView in) {
    ProxyConfig d = ProxyConfig.defaults();
    String host = in.get(ProxySettings.HOST);
    int port = in.get(ProxySettings.PORT);
    long timeoutMs = in.get(ProxySettings.PRIMARY_TIMEOUT).toMillis();
    int connectMs = in.get(ProxySettings.PRIMARY_CONNECT_TIMEOUT_MS);
    int pool = in.get(ProxySettings.PRIMARY_MAX_POOL_SIZE);
    long drainSeconds = in.get(ProxySettings.DRAIN_SECONDS);
    Integer loops = in.get(ProxySettings.EVENT_LOOPS);
    int eventLoops = loops == null ? d.eventLoops() : loops;
    boolean h2cUpgrade = in.get(ProxySettings.H2C_UPGRADE);
    Optional<ServerTls> serverTls = TlsBinding.server(in, ProxySettings.TLS);
    UpstreamTls primaryTls = TlsBinding.upstream(in, ProxySettings.PRIMARY_TLS_CA_FILE,
        ProxySettings.PRIMARY_TLS_VERIFY_HOSTNAME, ProxySettings.PRIMARY_TLS_ALPN);
    int tunnelsMax = in.get(ProxySettings.TUNNELS_MAX);
    long tunnelIdleMs = in.get(ProxySettings.TUNNELS_IDLE_TIMEOUT).toMillis();
    long idle = in.get(ProxySettings.IDLE_TIMEOUT);
    // a slow primary must get its 504 before the idle timeout closes the connection silently
    long idleMs = idle == 0 ? 0 : Math.max(idle, timeoutMs + 1_000);
    long notReadyDelayMs = in.get(ProxySettings.NOT_READY_DELAY);
    CallerLimits callers = callers(in);
    if (callers == null) {
      return null;
    }
    return in.build(() -> new ProxyConfig(host, port, timeoutMs, connectMs, pool, d.keepAlive(), d.maxHeaderBytes(),
        d.maxInitialLineLength(), idleMs, drainSeconds * 1_000, d.breaker(), eventLoops, h2cUpgrade, serverTls,
        primaryTls, new TunnelConfig(tunnelsMax, tunnelIdleMs), callers, notReadyDelayMs), FIELDS,
        ProxySettings.HOST.key());
  }

  private static CallerLimits callers(ConfigView in) {
    int maxConnections = in.get(ProxySettings.MAX_CONNECTIONS);
    long headerMs = in.get(ProxySettings.HEADER_TIMEOUT);
    long bodyIdleMs = in.get(ProxySettings.BODY_IDLE_TIMEOUT);
    int buffer = in.get(ProxySettings.REQUEST_BUFFER_BYTES);
    long bufferTotal = in.get(ProxySettings.REQUEST_BUFFER_TOTAL_BYTES);
    return in.build(() -> new CallerLimits(maxConnections, headerMs, bodyIdleMs, buffer, bufferTotal), CALLER_FIELDS,
        ProxySettings.MAX_CONNECTIONS.key());
  }

  /** {@code shadowcar.proxy.trustedProxies}; a bad entry is a problem on that key. */
  static TrustedProxies trustedProxies(ConfigView in) {
    List<String> entries = in.get(ProxySettings.TRUSTED_PROXIES);
    return in.build(() -> TrustedProxies.of(entries), Map.of("trustedProxies", ProxySettings.TRUSTED_PROXIES.key()),
        ProxySettings.TRUSTED_PROXIES.key());
  }

  static TargetsSpec primaryTargets(ConfigView in) {
    in.require(LauncherSettings.PRIMARY_TARGETS);
    return TargetsParser.parse(in, LauncherSettings.PRIMARY_TARGETS.key());
  }
}
