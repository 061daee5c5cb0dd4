package io.shadowcar.launcher.config;

import static io.shadowcar.launcher.config.ConfigKeys.*;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.sink.BoundSink;
import io.shadowcar.sink.ShadowSinkProviders;
import io.shadowcar.tee.RouteRule;
import io.shadowcar.tee.SampleKey;
import io.shadowcar.tee.TeeConfig;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds {@code shadowcar.shadow.*} and {@code shadowcar.routes.*} to the tee-router's {@link TeeConfig}. The sinks bind
 * their own keys (see {@link ShadowSinkProviders}); here they only decide the default sink tags and which tags a route
 * may name.
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

  private TeeBinder() {}

  /**
   * The tee. Routes without {@code sinks=} copy to every configured sink; with no sink configured nothing is copied
   * whatever the kill switch says.
   */
  static TeeConfig tee(ConfigReader in, List<BoundSink<?>> configured) {
    Set<String> sinks = new HashSet<>();
    configured.forEach(sink -> sinks.add(sink.tag()));
    boolean enabled = in.bool(SHADOW_ENABLED, true) && !sinks.isEmpty();
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
      Set<String> sinks = routeSinks(in, prefix + "sinks");
      RouteRule route = in.record(() -> new RouteRule(name, path, methods, percent, sinks),
          Map.of("path", prefix + "path"), prefix + "path");
      if (route != null) {
        routes.add(route);
      }
    }
    return routes;
  }

  /** A route's sink tags, each one a registered sink's (configured or not: an unconfigured one drops as sink_down). */
  private static Set<String> routeSinks(ConfigReader in, String key) {
    Set<String> registered = ShadowSinkProviders.tags();
    Set<String> sinks = new HashSet<>();
    for (String tag : in.list(key, List.of())) {
      if (registered.contains(tag)) {
        sinks.add(tag);
      } else {
        in.add(new ConfigProblem(key, tag, "one of " + String.join(", ", registered)));
      }
    }
    return sinks;
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
