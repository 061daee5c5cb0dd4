package io.shadowcar.launcher.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract's key names (CONTRACT.md) and their built-in defaults: the lowest configuration layer. Keys without a
 * default (required ones, per-NAME families) are named here too so the binders never spell a key twice.
 */
public final class ConfigKeys {

  public static final String PREFIX = "shadowcar.";

  public static final String PROXY_HOST = "shadowcar.proxy.host";
  public static final String PROXY_PORT = "shadowcar.proxy.port";
  public static final String PROXY_DRAIN_SECONDS = "shadowcar.proxy.drainSeconds";
  public static final String PROXY_EVENT_LOOPS = "shadowcar.proxy.eventLoops";
  public static final String ADMIN_HOST = "shadowcar.admin.host";
  public static final String ADMIN_PORT = "shadowcar.admin.port";

  public static final String PRIMARY_TARGETS = "shadowcar.primary.targets";
  public static final String PRIMARY_TIMEOUT_MS = "shadowcar.primary.timeout.ms";
  public static final String PRIMARY_CONNECT_TIMEOUT_MS = "shadowcar.primary.connectTimeout.ms";
  public static final String PRIMARY_MAX_POOL_SIZE = "shadowcar.primary.maxPoolSize";

  public static final String SHADOW_ENABLED = "shadowcar.shadow.enabled";
  public static final String SHADOW_TARGETS = "shadowcar.shadow.targets";
  public static final String SHADOW_SAMPLE_PERCENT = "shadowcar.shadow.sample.percent";
  public static final String SHADOW_SAMPLE_KEY = "shadowcar.shadow.sample.key";
  public static final String SHADOW_METHODS = "shadowcar.shadow.methods";
  public static final String SHADOW_MAX_INFLIGHT = "shadowcar.shadow.maxInflight";
  public static final String SHADOW_MAX_RATE = "shadowcar.shadow.maxRatePerSecond";
  public static final String SHADOW_MAX_BODY_BYTES = "shadowcar.shadow.maxBodyBytes";
  public static final String SHADOW_TIMEOUT_MS = "shadowcar.shadow.timeout.ms";
  public static final String SHADOW_HEADER = "shadowcar.shadow.header";
  public static final String SHADOW_HOST_SUFFIX = "shadowcar.shadow.hostSuffix";
  public static final String SHADOW_MAX_BUFFERED_BYTES = "shadowcar.shadow.maxBufferedBytes";
  public static final String SHADOW_MAX_CAPTURED_RESPONSE_BYTES = "shadowcar.shadow.maxCapturedResponseBytes";
  public static final String SHADOW_STRIP_HEADERS = "shadowcar.shadow.stripHeaders";
  public static final String SHADOW_HTTP_MAX_POOL_SIZE = "shadowcar.shadow.http.maxPoolSize";
  public static final String SHADOW_BREAKER_FAILURE_RATE = "shadowcar.shadow.breaker.failureRatePercent";
  public static final String SHADOW_BREAKER_MINIMUM_CALLS = "shadowcar.shadow.breaker.minimumCalls";
  public static final String SHADOW_BREAKER_OPEN_MS = "shadowcar.shadow.breaker.openMs";
  public static final String SHADOW_KAFKA_BOOTSTRAP = "shadowcar.shadow.kafka.bootstrap";
  public static final String SHADOW_KAFKA_TOPIC = "shadowcar.shadow.kafka.topic";

  /** {@code shadowcar.routes.NAME.path|methods|sample.percent|sinks}. */
  public static final String ROUTES_PREFIX = "shadowcar.routes.";

  public static final String DYNAMIC_FILE = "shadowcar.config.dynamic.file";
  public static final String DYNAMIC_URL = "shadowcar.config.dynamic.url";
  public static final String DYNAMIC_POLL_SECONDS = "shadowcar.config.dynamic.pollSeconds";
  public static final String DYNAMIC_FIRST_POLL_TIMEOUT_MS = "shadowcar.config.dynamic.firstPollTimeout.ms";

  private static final Map<String, String> DEFAULTS = buildDefaults();

  private ConfigKeys() {}

  /** Every key that has a built-in default, with it, in contract order. */
  public static Map<String, String> defaults() {
    return DEFAULTS;
  }

  /**
   * The environment variable that sets a fixed key: upper case, dots to underscores
   * ({@code shadowcar.shadow.maxInflight} → {@code SHADOWCAR_SHADOW_MAXINFLIGHT}).
   */
  public static String environmentName(String key) {
    return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }

  private static Map<String, String> buildDefaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(PROXY_HOST, "0.0.0.0");
    d.put(PROXY_PORT, "7000");
    d.put(PROXY_DRAIN_SECONDS, "10");
    d.put(ADMIN_HOST, "127.0.0.1");
    d.put(ADMIN_PORT, "7070");
    d.put(PRIMARY_TIMEOUT_MS, "30000");
    d.put(PRIMARY_CONNECT_TIMEOUT_MS, "2000");
    d.put(PRIMARY_MAX_POOL_SIZE, "128");
    d.put(SHADOW_ENABLED, "true");
    d.put(SHADOW_TARGETS, "");
    d.put(SHADOW_SAMPLE_PERCENT, "100");
    d.put(SHADOW_SAMPLE_KEY, "");
    d.put(SHADOW_METHODS, "GET,HEAD,OPTIONS");
    d.put(SHADOW_MAX_INFLIGHT, "1024");
    d.put(SHADOW_MAX_RATE, "0");
    d.put(SHADOW_MAX_BODY_BYTES, "1048576");
    d.put(SHADOW_TIMEOUT_MS, "5000");
    d.put(SHADOW_HEADER, "X-Shadow-Request");
    d.put(SHADOW_HOST_SUFFIX, "");
    d.put(SHADOW_MAX_BUFFERED_BYTES, "67108864");
    d.put(SHADOW_MAX_CAPTURED_RESPONSE_BYTES, "65536");
    d.put(SHADOW_STRIP_HEADERS, "");
    d.put(SHADOW_HTTP_MAX_POOL_SIZE, "64");
    d.put(SHADOW_BREAKER_FAILURE_RATE, "50");
    d.put(SHADOW_BREAKER_MINIMUM_CALLS, "20");
    d.put(SHADOW_BREAKER_OPEN_MS, "10000");
    d.put(SHADOW_KAFKA_BOOTSTRAP, "");
    d.put(SHADOW_KAFKA_TOPIC, "");
    d.put(DYNAMIC_FILE, "");
    d.put(DYNAMIC_URL, "");
    d.put(DYNAMIC_POLL_SECONDS, "5");
    d.put(DYNAMIC_FIRST_POLL_TIMEOUT_MS, "3000");
    return java.util.Collections.unmodifiableMap(d);
  }
}
