package io.shadowcar.launcher.config;

import static io.shadowcar.launcher.config.ConfigKeys.*;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.tee.RouteRule;
import io.shadowcar.tee.SampleKey;
import io.shadowcar.tee.SinkKind;
import io.shadowcar.tee.TeeConfig;
import io.shadowcar.tee.TeeSettings;
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
  private static final Map<String, String> TEE_FIELDS = Map.of(
      "sample.percent", TeeSettings.SAMPLE_PERCENT.key(),
      "methods", TeeSettings.METHODS.key(),
      "maxBodyBytes", TeeSettings.MAX_BODY_BYTES.key(),
      "maxBufferedBytes", TeeSettings.MAX_BUFFERED_BYTES.key(),
      "header", TeeSettings.HEADER.key(),
      "hostSuffix", TeeSettings.HOST_SUFFIX.key(),
      "stripHeaders", TeeSettings.STRIP_HEADERS.key(),
      "maxCapturedResponseBytes", TeeSettings.MAX_CAPTURED_RESPONSE_BYTES.key());
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
  static TeeConfig tee(ConfigReader reader, TargetsSpec shadowTargets) {
    ConfigView in = reader.view();
    boolean kafka = kafkaConfigured(reader);
    Set<SinkKind> sinks = EnumSet.noneOf(SinkKind.class);
    if (!shadowTargets.isEmpty()) {
      sinks.add(SinkKind.HTTP);
    }
    if (kafka) {
      sinks.add(SinkKind.KAFKA);
    }
    boolean enabled = in.get(TeeSettings.ENABLED) && !sinks.isEmpty();
    if (sinks.isEmpty()) {
      sinks.add(SinkKind.HTTP); // the record wants one; nothing is copied anyway
    }
    double percent = in.get(TeeSettings.SAMPLE_PERCENT);
    SampleKey sampleKey = in.get(TeeSettings.SAMPLE_KEY);
    Set<HttpMethod> methods = methods(in, TeeSettings.METHODS.key(), in.get(TeeSettings.METHODS));
    List<RouteRule> routes = routes(reader);
    int maxBody = in.get(TeeSettings.MAX_BODY_BYTES);
    long maxBuffered = in.get(TeeSettings.MAX_BUFFERED_BYTES);
    String header = in.get(TeeSettings.HEADER);
    String suffix = in.get(TeeSettings.HOST_SUFFIX);
    Set<String> strip = new LinkedHashSet<>(in.get(TeeSettings.STRIP_HEADERS));
    int captured = in.get(TeeSettings.MAX_CAPTURED_RESPONSE_BYTES);
    return in.build(() -> new TeeConfig(enabled, percent, sampleKey, methods, routes, sinks, maxBody, maxBuffered,
        header, suffix, strip, captured), TEE_FIELDS, TeeSettings.ENABLED.key());
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
  private static List<RouteRule> routes(ConfigReader reader) {
    ConfigView in = reader.view();
    List<RouteRule> routes = new ArrayList<>();
    List<String> names = new ArrayList<>(in.names(TeeSettings.ROUTES_PREFIX));
    Map<String, Integer> order = new java.util.HashMap<>();
    for (String name : names) {
      order.put(name, in.get(TeeSettings.ROUTE_ORDER, name));
    }
    names.sort(java.util.Comparator.<String, Integer>comparing(order::get)
        .thenComparing(java.util.Comparator.naturalOrder()));
    for (String name : names) {
      String pathKey = TeeSettings.ROUTE_PATH.key(name);
      String path = in.require(TeeSettings.ROUTE_PATH, name);
      if (path != null && !path.startsWith("/")) {
        in.problem(pathKey, "a path glob starting with /");
      }
      Set<HttpMethod> methods = methods(in, TeeSettings.ROUTE_METHODS.key(name), in.get(TeeSettings.ROUTE_METHODS, name));
      Double percent = in.get(TeeSettings.ROUTE_SAMPLE_PERCENT, name);
      Set<SinkKind> sinks = new HashSet<>();
      String sinksKey = TeeSettings.ROUTE_SINKS.key(name);
      for (String sink : in.get(TeeSettings.ROUTE_SINKS, name)) {
        SinkKind kind = reader.record(() -> SinkKind.parse(sink), Map.of(), sinksKey);
        if (kind != null) {
          sinks.add(kind);
        }
      }
      if (path == null || !path.startsWith("/")) {
        continue;
      }
      RouteRule route = in.build(() -> new RouteRule(name, path, methods, percent, sinks),
          Map.of("path", pathKey), pathKey);
      if (route != null) {
        routes.add(route);
      }
    }
    return routes;
  }

  private static Set<HttpMethod> methods(ConfigView in, String key, List<String> names) {
    Set<HttpMethod> methods = new LinkedHashSet<>();
    for (String name : names) {
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
