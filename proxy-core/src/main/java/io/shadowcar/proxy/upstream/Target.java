package io.shadowcar.proxy.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.net.SocketAddress;
import java.net.URI;

/**
 * One primary instance, resolved once from its base URL so the hot path does no parsing or lookup.
 *
 * @param uri the base URL as the {@link TargetSource} gave it
 * @param address where to connect
 * @param pathPrefix path prepended to every forwarded request target, without a trailing slash ("" for none)
 * @param breaker this target's circuit breaker
 */
public record Target(URI uri, SocketAddress address, String pathPrefix, CircuitBreaker breaker) {

  /** Parses a base URL; only {@code http} is accepted (the primary client speaks plain HTTP/1.1). */
  static SocketAddress addressOf(URI uri) {
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("target: " + uri + " (expected: http://host[:port][/prefix])");
    }
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    return SocketAddress.inetSocketAddress(port, uri.getHost());
  }

  static String prefixOf(URI uri) {
    String path = uri.getRawPath();
    if (path == null || path.isEmpty() || "/".equals(path)) {
      return "";
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
