package io.shadowcar.proxy;

import io.shadowcar.common.grpc.GrpcWire;
import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.Http1Connections;
import io.shadowcar.proxy.upstream.Target;
import io.shadowcar.proxy.upstream.TargetBalancer;
import io.shadowcar.proxy.upstream.UpstreamClients;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.function.Supplier;

/**
 * What every {@link Exchange} of one event loop shares: the loop's own pooled clients to the primaries and deadline
 * queues (the primary's response, the caller's body), and the proxy-wide balancer, caller limits, request buffers,
 * meters, failure log and tap. Created once per {@link ProxyVerticle} when it starts and
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
  final UpstreamFailure failures;
  final TunnelLimit tunnels;
  final Vertx vertx;
  private final UpstreamClients clients;
  /** This loop's own keep-alive connections to plain HTTP/1.1 primaries (upgrades aside), on Netty's objects. */
  private final Http1Connections leanPool;
  private final boolean keepAlive;
  /** Connections that may become tunnels: a pool of their own, so tunnels never take the slots of plain requests. */
  private final UpstreamClients upgradeClients;
  private final TrafficTap tap;
  private final Supplier<ForwardingPolicy> forwarding;
  /** This loop's place in the balancer's rotation. */
  private final TargetBalancer.Cursor rotation = new TargetBalancer.Cursor();
  /**
   * Reused for every request of this event loop: the client reads the options synchronously in {@code request()},
   * and building a fresh {@code RequestOptions} (which initialises a dozen defaults) showed up in profiles.
   */
  private final RequestOptions requestOptions = new RequestOptions();

  LoopContext(Vertx vertx, UpstreamClients clients, Http1Connections leanPool, boolean keepAlive,
      UpstreamClients upgradeClients, DeadlineQueue deadlines, DeadlineQueue bodyIdle, TargetBalancer balancer,
      CallerLimits limits, RequestBuffers buffers, ProxyMetrics metrics,
      UpstreamFailure failures, TunnelLimit tunnels, TrafficTap tap, Supplier<ForwardingPolicy> forwarding) {
    this.vertx = vertx;
    this.failures = failures;
    this.tunnels = tunnels;
    this.clients = clients;
    this.leanPool = leanPool;
    this.keepAlive = keepAlive;
    this.upgradeClients = upgradeClients;
    this.forwarding = forwarding;
    this.deadlines = deadlines;
    this.bodyIdle = bodyIdle;
    this.balancer = balancer;
    this.limits = limits;
    this.buffers = buffers;
    this.metrics = metrics;
    this.tap = tap;
  }

  /** The request's id: the caller's when safe, else a generated one (a replaced caller id is counted). */
  String requestId(String callerId) {
    if (callerId != null && !RequestIds.isSafe(callerId)) {
      metrics.requestIdReplaced();
    }
    return RequestIds.choose(callerId);
  }

  /**
   * The next primary target whose breaker grants a permission (the caller owns it), or {@code null} when there is
   * none.
   */
  Target pickTarget() {
    return balancer.pick(rotation);
  }

  /** The forwarding policy in force now (read once per request). */
  ForwardingPolicy forwarding() {
    return forwarding.get();
  }

  /**
   * Opens a request to {@code target}; {@code uri} is in origin form, the target's path prefix is added here. A gRPC
   * call goes over HTTP/2 whatever the target's scheme (HTTP/1.1 cannot carry it).
   */
  Future<HttpClientRequest> request(Target target, HttpMethod method, String uri, MultiMap headers) {
    int slot = isGrpc(method, headers) ? UpstreamClients.grpcSlot(target.clientSlot()) : target.clientSlot();
    return clients.client(slot).request(options(target, method, uri, headers));
  }

  /**
   * A request to {@code target} over this loop's {@link Http1Connections} when the target is a plain HTTP/1.1 one
   * and the request is not a gRPC call; else {@code null}, and {@link #request} carries it. {@code uri} is in origin
   * form, the target's path prefix is added here.
   */
  LeanPrimaryRequest leanRequest(Exchange exchange, Target target, HttpMethod method, String uri, MultiMap headers) {
    if (!UpstreamClients.isPlainHttp1(target.clientSlot()) || isGrpc(method, headers)) {
      return null;
    }
    return new LeanPrimaryRequest(exchange, leanPool, target, method, wirePath(target, uri), headers, keepAlive);
  }

  /** Holds a connection of the loop's {@link Http1Connections} for {@code request}. */
  void acquire(Target target, LeanPrimaryRequest request) {
    leanPool.acquire(target, request);
  }

  /**
   * Opens an {@code Upgrade} request for {@code protocol} to {@code target} over HTTP/1.1 on a connection of its own,
   * with {@code Connection: Upgrade} exactly (the client switches to raw bytes on 101 only then).
   */
  Future<HttpClientRequest> upgrade(Target target, String uri, MultiMap headers, String protocol) {
    headers.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE).set(HttpHeaders.UPGRADE, protocol);
    return upgradeClients.client(UpstreamClients.http1Slot(target.clientSlot()))
        .request(options(target, HttpMethod.GET, uri, headers));
  }

  private RequestOptions options(Target target, HttpMethod method, String uri, MultiMap headers) {
    return requestOptions
        .setServer(target.address())
        .setMethod(method)
        .setURI(wirePath(target, uri))
        .setHeaders(headers);
  }

  private static boolean isGrpc(HttpMethod method, MultiMap headers) {
    return method == HttpMethod.POST && GrpcWire.isGrpc(headers.get(HttpHeaders.CONTENT_TYPE));
  }

  /** {@code uri} (origin form) behind the target's path prefix. */
  private static String wirePath(Target target, String uri) {
    return target.pathPrefix().isEmpty() ? uri : target.pathPrefix() + uri;
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
