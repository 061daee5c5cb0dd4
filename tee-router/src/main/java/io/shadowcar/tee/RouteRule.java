package io.shadowcar.tee;

import io.shadowcar.common.config.InvalidValueException;
import io.vertx.core.http.HttpMethod;
import java.util.Objects;
import java.util.Set;

/**
 * Per-route tee settings ({@code shadowcar.routes.NAME.*}). The first route whose path glob matches decides; when
 * routes are configured, a path that matches none is not copied ({@code no_route}).
 *
 * <p>This is also how unsafe methods are opted in: a route listing {@code POST} copies POSTs on its paths, and only
 * there. Use it only where the shadow cannot write to shared state.
 *
 * @param name the route's config name; used in logs and {@link TeeEvent#route()}, so keep it short
 * @param path a glob over the normalised path (dot segments removed, unreserved characters
 *     and {@code %2F} decoded, repeated slashes collapsed, query dropped; the glob is normalised the same way):
 *     {@code ?} one character, {@code *} within one segment, {@code **} across segments; {@code /api/**} also
 *     matches {@code /api}
 * @param methods methods copied on this route; empty inherits {@code shadowcar.shadow.methods}
 * @param samplePercent 0–100 overriding {@code shadowcar.shadow.sample.percent}, or {@code null} to inherit
 * @param sinks tags of the sinks this route's copies go to ({@code shadowcar.routes.NAME.sinks}); empty inherits the
 *     config's default sinks
 * @param forwardCredentials whether this route's copies keep the credential headers
 *     ({@code shadowcar.routes.NAME.forwardCredentials}), or {@code null} to inherit
 *     {@code shadowcar.shadow.forwardCredentials}
 */
public record RouteRule(String name, String path, Set<HttpMethod> methods, Double samplePercent, Set<String> sinks,
    Boolean forwardCredentials) {

  public RouteRule {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("routes.name: empty (expected: a route name)");
    }
    if (path == null || !path.startsWith("/") || PathNormalizer.hasDotSegment(path)) {
      // a request path is matched with its dot segments removed, so a glob with one could never match
      throw new InvalidValueException("path", path, "a glob starting with / without . or .. segments");
    }
    methods = Set.copyOf(Objects.requireNonNullElse(methods, Set.of()));
    sinks = SinkTags.check("routes." + name + ".sinks", Objects.requireNonNullElse(sinks, Set.of()));
    if (samplePercent != null) {
      TeeConfig.checkPercent("sample.percent", samplePercent);
    }
  }

  /** A route that inherits the credential policy. */
  public RouteRule(String name, String path, Set<HttpMethod> methods, Double samplePercent, Set<String> sinks) {
    this(name, path, methods, samplePercent, sinks, null);
  }

  /** A route copying its inherited methods at the inherited percent to the inherited sinks. */
  public static RouteRule of(String name, String path) {
    return new RouteRule(name, path, Set.of(), null, Set.of());
  }
}
