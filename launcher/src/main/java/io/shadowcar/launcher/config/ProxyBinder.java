package io.shadowcar.launcher.config;

import static io.shadowcar.launcher.config.ConfigKeys.*;

import io.shadowcar.proxy.ProxyConfig;
import java.util.Map;

/** Binds {@code shadowcar.proxy.*} and {@code shadowcar.primary.*} to proxy-core's {@link ProxyConfig}. */
final class ProxyBinder {

  private static final Map<String, String> FIELDS = Map.of(
      "host", PROXY_HOST,
      "port", PROXY_PORT,
      "primaryTimeoutMs", PRIMARY_TIMEOUT_MS,
      "connectTimeoutMs", PRIMARY_CONNECT_TIMEOUT_MS,
      "maxPoolSizePerTarget", PRIMARY_MAX_POOL_SIZE,
      "drainTimeoutMs", PROXY_DRAIN_SECONDS,
      "eventLoops", PROXY_EVENT_LOOPS);

  private ProxyBinder() {}

  static ProxyConfig proxy(ConfigReader in) {
    ProxyConfig d = ProxyConfig.defaults();
    String host = in.string(PROXY_HOST, d.host());
    int port = in.port(PROXY_PORT, d.port());
    long timeoutMs = in.longIn(PRIMARY_TIMEOUT_MS, d.primaryTimeoutMs(), 1, Long.MAX_VALUE / 2, "milliseconds > 0");
    int connectMs = in.positiveInt(PRIMARY_CONNECT_TIMEOUT_MS, d.connectTimeoutMs());
    int pool = in.positiveInt(PRIMARY_MAX_POOL_SIZE, d.maxPoolSizePerTarget());
    long drainSeconds = in.longIn(PROXY_DRAIN_SECONDS, 10, 0, 3600, "seconds 0-3600");
    int eventLoops = in.intIn(PROXY_EVENT_LOOPS, d.eventLoops(), 1, 256, "integer 1-256");
    // a slow primary must get its 504 before the idle timeout closes the connection silently
    long idleMs = Math.max(d.idleTimeoutMs(), timeoutMs + 1_000);
    return in.record(() -> new ProxyConfig(host, port, timeoutMs, connectMs, pool, d.keepAlive(), d.maxHeaderBytes(),
        d.maxInitialLineLength(), idleMs, drainSeconds * 1_000, d.breaker(), eventLoops), FIELDS, PROXY_HOST);
  }

  static TargetsSpec primaryTargets(ConfigReader in) {
    in.required(PRIMARY_TARGETS, "comma list of base URLs, or eureka:VIPADDRESS");
    return TargetsParser.parse(in, PRIMARY_TARGETS);
  }
}
