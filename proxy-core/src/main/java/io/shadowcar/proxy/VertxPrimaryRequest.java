package io.shadowcar.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request to the primary over Vert.x's HTTP client: TLS and HTTP/2 primaries, gRPC calls and upgrades. Its failures,
 * drains and response go to the exchange through Vert.x's handlers, each step guarded.
 */
final class VertxPrimaryRequest implements PrimaryRequest {

  private final Exchange exchange;
  final HttpClientRequest request;
  /** The primary's response once its head came; {@code null} before. */
  HttpClientResponse response;

  VertxPrimaryRequest(Exchange exchange, HttpClientRequest request) {
    this.exchange = exchange;
    this.request = request;
  }

  /** Hands the request's failures, drains and response to the exchange. */
  void listen() {
    request.exceptionHandler(GuardedStep.of(exchange, Exchange::onUpstreamFailure));
    request.drainHandler(GuardedStep.of(exchange, Exchange::onUpstreamDrained));
    request.response().onComplete(GuardedStep.of(exchange, Exchange::onUpstreamResponse));
  }

  @Override
  public void prepare(HttpServerRequest caller, long readAheadBytes) {
    Framing.prepareUpstream(caller, request, readAheadBytes);
  }

  /** Sends an upgrade request's head alone: on 101 the connection carries raw bytes, else the response as usual. */
  void sendUpgradeHead() {
    request.connect();
  }

  @Override
  public void write(Buffer chunk) {
    request.write(chunk);
  }

  @Override
  public boolean writeQueueFull() {
    return request.writeQueueFull();
  }

  @Override
  public void sendHeadAwaitingContinue() {
    request.continueHandler(GuardedStep.of(exchange, Exchange::onUpstreamContinue));
    request.sendHead();
  }

  @Override
  public void end(MultiMap trailers, ProxyMetrics metrics) {
    if (trailers != null) {
      Trailers.endRequest(request, trailers, metrics);
    } else {
      request.end();
    }
  }

  @Override
  public void reset() {
    request.reset();
  }

  /** Vert.x's pool takes the connection back itself once the request and its response have ended. */
  @Override
  public void release(boolean complete) {
  }
}
