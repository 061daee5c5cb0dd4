package io.shadowcar.proxy;

import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.Target;
import io.shadowcar.proxy.upstream.TargetBalancer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * What every {@link Exchange} of one event loop shares: the loop's own pooled client to the primaries and deadline
 * queues (the primary's response, the caller's body), and the proxy-wide balancer, caller limits, request buffers,
 * meters and tap. Created once per {@link ProxyVerticle} when it starts and
 * handed to each exchange, so an exchange sees exactly this and nothing else of the verticle.
 *
 * <p>Event-loop confined, like the exchanges using it (the reused request options are not thread-safe).
 */
final class LoopContext {

  final DeadlineQueue deadlines;
  /** Request bodies being read, by when their caller last sent a byte; {@code null} when the body timeout is off. */
  final DeadlineQueue bodyIdle;
  final TargetBalancer balancer;
  final CallerLimits limits;
  final RequestBuffers buffers;
  final ProxyMetrics metrics;
  private final HttpClient client;
  private final TrafficTap tap;
  /**
   * Reused for every request of this event loop: the client reads the options synchronously in {@code request()},
   * and building a fresh {@code RequestOptions} (which initialises a dozen defaults) showed up in profiles.
   */
  private final RequestOptions requestOptions = new RequestOptions();

  LoopContext(HttpClient client, DeadlineQueue deadlines, DeadlineQueue bodyIdle, TargetBalancer balancer,
      CallerLimits limits, RequestBuffers buffers, ProxyMetrics metrics, TrafficTap tap) {
    this.client = client;
    this.deadlines = deadlines;
    this.bodyIdle = bodyIdle;
    this.balancer = balancer;
    this.limits = limits;
    this.buffers = buffers;
    this.metrics = metrics;
    this.tap = tap;
  }

  /** Opens a request to {@code target}; {@code uri} is in origin form, the target's path prefix is added here. */
  Future<HttpClientRequest> request(Target target, HttpMethod method, String uri, MultiMap headers) {
    return client.request(requestOptions
        .setServer(target.address())
        .setMethod(method)
        .setURI(target.pathPrefix().isEmpty() ? uri : target.pathPrefix() + uri)
        .setHeaders(headers));
  }

  /** The tap's observer for this request, shielded from its failures; {@code null} when the tap is not interested. */
  GuardedTap openTap(RequestHead head) {
    ExchangeTap opened;
    try {
      opened = tap.open(head);
    } catch (RuntimeException e) {
      metrics.tapError();
      return null;
    }
    return opened == null || opened == ExchangeTap.NONE ? null : new GuardedTap(opened, metrics);
  }
}
