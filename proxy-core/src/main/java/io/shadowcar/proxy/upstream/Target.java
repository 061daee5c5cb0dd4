package io.shadowcar.proxy.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.shadowcar.common.target.TargetProtocol;
import io.shadowcar.common.target.TargetUrl;
import io.vertx.core.net.SocketAddress;
import java.net.URI;

/**
 * One primary instance, resolved once from its parsed base URL so the hot path does no parsing or lookup.
 *
 * @param url the base URL as the {@link TargetSource} gave it
 * @param address where to connect (the URL's host, resolved by Vert.x when it is a name)
 * @param breaker this target's circuit breaker
 * @param clientSlot which of an event loop's {@link UpstreamClients} speaks to it
 */
public record Target(TargetUrl url, SocketAddress address, CircuitBreaker breaker, int clientSlot) {

  /** @param breaker its circuit breaker; {@code null} for a target that is only a pool's key (a shadow instance) */
  public static Target of(TargetUrl url, CircuitBreaker breaker) {
    return new Target(url, SocketAddress.inetSocketAddress(url.port(), url.host()), breaker,
        UpstreamClients.slot(url));
  }

  /** The base URL as written. */
  public URI uri() {
    return url.uri();
  }

  /** Path prepended to every forwarded request target, without a trailing slash ("" for none). */
  public String pathPrefix() {
    return url.pathPrefix();
  }

  /** How to speak to it. */
  public TargetProtocol protocol() {
    return url.protocol();
  }
}
