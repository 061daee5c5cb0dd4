package io.shadowcar.tee;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** A {@link TeeConfig} compiled for the per-request decision: globs parsed, samplers and method sets resolved. */
final class RouterPlan {

  /**
   * One route, or the single catch-all when no routes are configured.
   *
   * @param responseCaptureBytes how much of the primary's response body to keep: the config's cap when something
   *     behind the route's sinks reads it, else 0
   * @param copyHeaders how the route's copies' headers are made (its credential policy included)
   */
  record Route(String name, PathGlob glob, Set<HttpMethod> methods, Sampler sampler, Set<String> sinks,
      int responseCaptureBytes, CopyHeaders copyHeaders) {}

  static final String DEFAULT_ROUTE = "default";

  final TeeConfig config;
  final Route[] routes;
  final boolean routed;

  RouterPlan(TeeConfig config, TeeEventHandler handler, RandomGenerator random) {
    this.config = config;
    CopyHeaders inherited = new CopyHeaders(config, config.forwardCredentials());
    this.routed = !config.routes().isEmpty();
    List<Route> compiled = new ArrayList<>();
    if (routed) {
      for (RouteRule rule : config.routes()) {
        Set<String> sinks = rule.sinks().isEmpty() ? config.sinks() : rule.sinks();
        compiled.add(new Route(
            rule.name(),
            new PathGlob(PathNormalizer.normalize(rule.path())),
            rule.methods().isEmpty() ? config.methods() : rule.methods(),
            new Sampler(rule.samplePercent() == null ? config.samplePercent() : rule.samplePercent(),
                config.sampleKey(), random),
            sinks,
            responseCaptureBytes(config, handler, sinks),
            rule.forwardCredentials() == null ? inherited : new CopyHeaders(config, rule.forwardCredentials())));
      }
    } else {
      compiled.add(new Route(DEFAULT_ROUTE, null, config.methods(),
          new Sampler(config.samplePercent(), config.sampleKey(), random), config.sinks(),
          responseCaptureBytes(config, handler, config.sinks()), inherited));
    }
    this.routes = compiled.toArray(new Route[0]);
  }

  private static int responseCaptureBytes(TeeConfig config, TeeEventHandler handler, Set<String> sinks) {
    return !sinks.isEmpty() && handler.readsPrimaryResponse(sinks) ? config.maxCapturedResponseBytes() : 0;
  }

  /**
   * The first route matching the request target's path, or {@code null}. Globs see the {@link PathNormalizer normal}
   * path; a target already normal is matched in place, without a copy.
   */
  Route route(String uri) {
    if (!routed) {
      return routes[0];
    }
    int q = uri.indexOf('?');
    int end = q < 0 ? uri.length() : q;
    String path = uri;
    if (!PathNormalizer.isNormal(uri, end)) {
      path = PathNormalizer.normalize(uri, end);
      end = path.length();
    }
    for (Route route : routes) {
      if (route.glob().matches(path, end)) {
        return route;
      }
    }
    return null;
  }
}
