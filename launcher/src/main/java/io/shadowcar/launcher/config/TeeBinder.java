package io.shadowcar.launcher.config;

import static io.shadowcar.launcher.config.ConfigKeys.*;

import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.tee.RouteRule;
import io.shadowcar.tee.SampleKey;
import io.shadowcar.tee.SinkKind;
import io.shadowcar.tee.TeeConfig;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds {@code shadowcar.shadow.*} and {@code shadowcar.routes.*} to the tee-router's {@link TeeConfig} and the HTTP
 * sink's {@link HttpShadowSinkConfig}.
 */
final class TeeBinder {

  private static final Pattern METHOD = Pattern.compile("[A-Z]+");
  private static final String PERCENT = "number 0-100";
  private static final Map<String, String> TEE_FIELDS = Map.of(
      "sample.percent", SHADOW_SAMPLE_PERCENT,
      "methods", SHADOW_METHODS,
      "maxBodyBytes", SHADOW_MAX_BODY_BYTES,
      "maxBufferedBytes", SHADOW_MAX_BUFFERED_BYTES,
      "header", SHADOW_HEADER,
      "hostSuffix", SHADOW_HOST_SUFFIX,
      "stripHeaders", SHADOW_STRIP_HEADERS,
      "maxCapturedResponseBytes", SHADOW_MAX_CAPTURED_RESPONSE_BYTES);
  private static final Map<String, String> SINK_FIELDS = Map.of(
      "maxInflight", SHADOW_MAX_INFLIGHT,
      "maxRatePerSecond", SHADOW_MAX_RATE,
      "timeoutMs", SHADOW_TIMEOUT_MS,
      "maxPoolSize", SHADOW_HTTP_MAX_POOL_SIZE,
      "maxCapturedResponseBytes", SHADOW_MAX_CAPTURED_RESPONSE_BYTES,
      "breakerFailureRatePercent", SHADOW_BREAKER_FAILURE_RATE,
      "breakerMinimumCalls", SHADOW_BREAKER_MINIMUM_CALLS,
      "breakerOpenMs", SHADOW_BREAKER_OPEN_MS);

  private TeeBinder() {}

  /** The tee; with no sink configured (no shadow targets, no Kafka) nothing is copied whatever the kill switch says. */
  static TeeConfig tee(ConfigReader in, TargetsSpec shadowTargets) {
    boolean kafka = kafkaConfigured(in);
    Set<SinkKind> sinks = EnumSet.noneOf(SinkKind.class);
    if (!shadowTargets.isEmpty()) {
      sinks.add(SinkKind.HTTP);
    }
    if (kafka) {
      sinks.add(SinkKind.KAFKA);
    }
    boolean enabled = in.bool(SHADOW_ENABLED, true) && !sinks.isEmpty();
    if (sinks.isEmpty()) {
      sinks.add(SinkKind.HTTP); // the record wants one; nothing is copied anyway
    }
    double percent = in.doubleIn(SHADOW_SAMPLE_PERCENT, 100, 0, 100, PERCENT);
    SampleKey sampleKey = in.record(() -> SampleKey.parse(in.string(SHADOW_SAMPLE_KEY, "")),
        Map.of(), SHADOW_SAMPLE_KEY);
    Set<HttpMethod> methods = methods(in, SHADOW_METHODS, List.of("GET", "HEAD", "OPTIONS"));
    List<RouteRule> routes = routes(in);
    int maxBody = in.intIn(SHADOW_MAX_BODY_BYTES, 1 << 20, 0, Integer.MAX_VALUE, "integer >= 0");
    long maxBuffered = in.longIn(SHADOW_MAX_BUFFERED_BYTES, 64L << 20, 0, Long.MAX_VALUE, "integer >= 0");
    String header = in.string(SHADOW_HEADER, "X-Shadow-Request");
    String suffix = in.string(SHADOW_HOST_SUFFIX, "");
    Set<String> strip = new LinkedHashSet<>(in.list(SHADOW_STRIP_HEADERS, List.of()));
    int captured = in.intIn(SHADOW_MAX_CAPTURED_RESPONSE_BYTES, 64 << 10, 0, Integer.MAX_VALUE, "integer >= 0");
    return in.record(() -> new TeeConfig(enabled, percent, sampleKey, methods, routes, sinks, maxBody, maxBuffered,
        header, suffix, strip, captured), TEE_FIELDS, SHADOW_ENABLED);
  }

  static HttpShadowSinkConfig httpSink(ConfigReader in) {
    HttpShadowSinkConfig d = HttpShadowSinkConfig.defaults();
    int inflight = in.positiveInt(SHADOW_MAX_INFLIGHT, d.maxInflight());
    int rate = in.intIn(SHADOW_MAX_RATE, 0, 0, Integer.MAX_VALUE, "integer >= 0 (0 = no cap)");
    long timeout = in.longIn(SHADOW_TIMEOUT_MS, d.timeoutMs(), 1, Long.MAX_VALUE / 2, "milliseconds > 0");
    int pool = in.positiveInt(SHADOW_HTTP_MAX_POOL_SIZE, d.maxPoolSize());
    int captured = in.intIn(SHADOW_MAX_CAPTURED_RESPONSE_BYTES, 64 << 10, 0, Integer.MAX_VALUE, "integer >= 0");
    float failureRate = (float) in.doubleIn(SHADOW_BREAKER_FAILURE_RATE, d.breakerFailureRatePercent(), 1, 100,
        "number 1-100");
    int minimumCalls = in.positiveInt(SHADOW_BREAKER_MINIMUM_CALLS, d.breakerMinimumCalls());
    long openMs = in.longIn(SHADOW_BREAKER_OPEN_MS, d.breakerOpenMs(), 1, Long.MAX_VALUE / 2, "milliseconds > 0");
    return in.record(() -> new HttpShadowSinkConfig(inflight, rate, timeout, pool, captured, failureRate,
        minimumCalls, openMs), SINK_FIELDS, SHADOW_MAX_INFLIGHT);
  }

  /** Kafka's own keys are validated by {@link KafkaBinder}. */
  private static boolean kafkaConfigured(ConfigReader in) {
    return in.optional(SHADOW_KAFKA_BOOTSTRAP).isPresent();
  }

  /** Routes in {@code .order} order (default 100), then by name: the tee-router takes the first match. */
  private static List<RouteRule> routes(ConfigReader in) {
    List<RouteRule> routes = new ArrayList<>();
    List<String> names = new ArrayList<>(in.snapshot().names(ROUTES_PREFIX));
    Map<String, Integer> order = new java.util.HashMap<>();
    for (String name : names) {
      order.put(name, in.intIn(ROUTES_PREFIX + name + ".order", 100, 0, Integer.MAX_VALUE, "integer >= 0"));
    }
    names.sort(java.util.Comparator.<String, Integer>comparing(order::get).thenComparing(java.util.Comparator.naturalOrder()));
    for (String name : names) {
      String prefix = ROUTES_PREFIX + name + ".";
      String path = in.required(prefix + "path", "a path glob such as /api/**");
      if (!path.isEmpty() && !path.startsWith("/")) {
        in.problem(prefix + "path", "a path glob starting with /");
      }
      Set<HttpMethod> methods = methods(in, prefix + "methods", List.of());
      Double percent = in.optional(prefix + "sample.percent").isPresent()
          ? in.doubleIn(prefix + "sample.percent", 100, 0, 100, PERCENT)
          : null;
      Set<SinkKind> sinks = new HashSet<>();
      for (String sink : in.list(prefix + "sinks", List.of())) {
        SinkKind kind = in.record(() -> SinkKind.parse(sink), Map.of(), prefix + "sinks");
        if (kind != null) {
          sinks.add(kind);
        }
      }
      RouteRule route = in.record(() -> new RouteRule(name, path, methods, percent, sinks),
          Map.of("path", prefix + "path"), prefix + "path");
      if (route != null) {
        routes.add(route);
      }
    }
    return routes;
  }

  private static Set<HttpMethod> methods(ConfigReader in, String key, List<String> fallback) {
    Set<HttpMethod> methods = new LinkedHashSet<>();
    for (String name : in.list(key, fallback)) {
      String upper = name.toUpperCase(Locale.ROOT);
      if (!METHOD.matcher(upper).matches()) {
        in.problem(key, "comma list of HTTP methods, e.g. GET,HEAD,OPTIONS");
        return Set.of();
      }
      methods.add(HttpMethod.valueOf(upper));
    }
    return methods;
  }
}
