package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.sink.BoundSink;
import io.shadowcar.sink.ShadowSinkProviders;
import io.shadowcar.tee.RouteRule;
import io.shadowcar.tee.SampleKey;
import io.shadowcar.tee.TeeConfig;
import io.shadowcar.tee.TeeSettings;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds the tee's keys ({@link TeeSettings}: {@code shadowcar.shadow.*}, {@code shadowcar.routes.*}) to a {@link TeeConfig}. */
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
      "credentialHeaders", TeeSettings.CREDENTIAL_HEADERS.key(),
      "maxCapturedResponseBytes", TeeSettings.MAX_CAPTURED_RESPONSE_BYTES.key());

  private TeeBinder() {}

  /**
   * The tee. Routes without {@code sinks=} copy to every configured sink; with no sink configured nothing is copied
   * whatever the kill switch says.
   */
  static TeeConfig tee(ConfigView in, List<BoundSink<?>> configured) {
    Set<String> sinks = new HashSet<>();
    configured.forEach(sink -> sinks.add(sink.tag()));
    boolean enabled = in.get(TeeSettings.ENABLED) && !sinks.isEmpty();
    double percent = in.get(TeeSettings.SAMPLE_PERCENT);
    SampleKey sampleKey = in.get(TeeSettings.SAMPLE_KEY);
    Set<HttpMethod> methods = methods(in, TeeSettings.METHODS.key(), in.get(TeeSettings.METHODS));
    List<RouteRule> routes = routes(in);
    int maxBody = in.get(TeeSettings.MAX_BODY_BYTES);
    long maxBuffered = in.get(TeeSettings.MAX_BUFFERED_BYTES);
    String header = in.get(TeeSettings.HEADER);
    String suffix = in.get(TeeSettings.HOST_SUFFIX);
    Set<String> strip = new LinkedHashSet<>(in.get(TeeSettings.STRIP_HEADERS));
    int captured = in.get(TeeSettings.MAX_CAPTURED_RESPONSE_BYTES);
    Set<String> credentials = new LinkedHashSet<>(in.get(TeeSettings.CREDENTIAL_HEADERS));
    boolean forwardCredentials = in.get(TeeSettings.FORWARD_CREDENTIALS);
    return in.build(() -> new TeeConfig(enabled, percent, sampleKey, methods, routes, sinks, maxBody, maxBuffered,
        header, suffix, strip, captured, credentials, forwardCredentials), TEE_FIELDS, TeeSettings.ENABLED.key());
  }

  /** Routes in {@code .order} order (default 100), then by name: the tee-router takes the first match. */
  private static List<RouteRule> routes(ConfigView in) {
    List<RouteRule> routes = new ArrayList<>();
    List<String> names = new ArrayList<>(in.names(TeeSettings.ROUTES_PREFIX));
    Map<String, Integer> order = new HashMap<>();
    for (String name : names) {
      order.put(name, in.get(TeeSettings.ROUTE_ORDER, name));
    }
    names.sort(Comparator.<String, Integer>comparing(order::get).thenComparing(Comparator.naturalOrder()));
    for (String name : names) {
      String pathKey = TeeSettings.ROUTE_PATH.key(name);
      String path = in.require(TeeSettings.ROUTE_PATH, name);
      Set<HttpMethod> methods =
          methods(in, TeeSettings.ROUTE_METHODS.key(name), in.get(TeeSettings.ROUTE_METHODS, name));
      Double percent = in.get(TeeSettings.ROUTE_SAMPLE_PERCENT, name);
      Set<String> sinks = routeSinks(in, TeeSettings.ROUTE_SINKS.key(name), in.get(TeeSettings.ROUTE_SINKS, name));
      Boolean forwardCredentials = in.get(TeeSettings.ROUTE_FORWARD_CREDENTIALS, name);
      if (path == null) {
        continue;
      }
      RouteRule route = in.build(() -> new RouteRule(name, path, methods, percent, sinks, forwardCredentials),
          Map.of("path", pathKey, "sample.percent", TeeSettings.ROUTE_SAMPLE_PERCENT.key(name)), pathKey);
      if (route != null) {
        routes.add(route);
      }
    }
    return routes;
  }

  /** A route's sink tags, each one a registered sink's (configured or not: an unconfigured one drops as sink_down). */
  private static Set<String> routeSinks(ConfigView in, String key, List<String> tags) {
    Set<String> registered = ShadowSinkProviders.tags();
    Set<String> sinks = new HashSet<>();
    for (String tag : tags) {
      if (registered.contains(tag)) {
        sinks.add(tag);
      } else {
        in.problem(new ConfigProblem(key, tag, "one of " + String.join(", ", registered)));
      }
    }
    return sinks;
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
