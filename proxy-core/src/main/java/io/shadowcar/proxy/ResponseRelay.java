package io.shadowcar.proxy;

import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;

/**
 * The response side of one {@link Exchange}: the primary's answer relayed to the caller (head, body with
 * back-pressure, trailers) and shown to the tap; or, when the primary accepted an upgrade, the two connections handed
 * to a {@link Tunnel}. Event-loop confined; every step runs guarded by its exchange and does nothing once the exchange
 * has ended.
 */
final class ResponseRelay {

  private final Exchange exchange;
  private final LoopContext loop;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private GuardedTap tap;
  private HttpClientResponse from;

  ResponseRelay(Exchange exchange, LoopContext loop, HttpServerRequest request) {
    this.exchange = exchange;
    this.loop = loop;
    this.request = request;
    this.response = request.response();
  }

  /** Gives the caller the primary's head now and its body as it comes; the exchange finishes once all is written. */
  void relay(HttpClientResponse primary, GuardedTap observer, String requestId) {
    from = primary;
    tap = observer;
    Framing.copyResponseHead(request, primary, response);
    if (tap != null) {
      tap.responseHead(primary.statusCode(), response.headers());
    }
    // After the tap copied the primary's head: the caller learns the id its copy carries, the diff compares answers.
    response.headers().set(ForwardedHeaders.X_REQUEST_ID_NAME, requestId);
    primary.handler(GuardedStep.of(exchange, (e, chunk) -> e.relay().onChunk(chunk)));
    primary.endHandler(GuardedStep.of(exchange, (e, unused) -> e.relay().onEnd()));
    response.drainHandler(GuardedStep.of(exchange, (e, unused) -> e.relay().onCallerDrained()));
  }

  /** The primary switched protocols: the caller gets its 101 and the two connections are spliced. */
  void switchProtocols(HttpClientResponse primary, GuardedTap observer, String protocol) {
    NetSocket toPrimary = primary.netSocket().pause(); // holds what the primary sends right after its 101
    Tunnel.switchingProtocols(primary, response, protocol);
    if (observer != null) {
      observer.responseHead(101, response.headers());
    }
    request.toNetSocket().onComplete(GuardedStep.of(exchange, (e, ar) -> e.relay().onCallerSwitched(ar, toPrimary)));
  }

  private void onCallerSwitched(AsyncResult<NetSocket> ar, NetSocket toPrimary) {
    if (ar.failed() || exchange.ended()) {
      exchange.onCallerGone(ar.cause());
      return;
    }
    StrictPipeline.handOverIdleTimeout(request.connection());
    Tunnel.splice(ar.result().pause(), toPrimary, loop.tunnels, loop.vertx);
    exchange.tunnelOpened();
  }

  private void onChunk(Buffer chunk) {
    if (exchange.ended()) {
      return;
    }
    if (tap != null) {
      tap.responseChunk(chunk);
    }
    response.write(chunk);
    if (response.writeQueueFull()) {
      from.pause();
    }
  }

  private void onCallerDrained() {
    if (!exchange.ended()) {
      from.resume();
    }
  }

  private void onEnd() {
    if (exchange.ended()) {
      return;
    }
    MultiMap trailers = Trailers.copyResponse(request, from, response);
    if (trailers != null && tap != null) {
      tap.responseTrailers(trailers);
    }
    response.end().onComplete(this::onWritten);
  }

  private void onWritten(AsyncResult<Void> ar) {
    if (ar.succeeded()) {
      exchange.forwarded();
    } else {
      exchange.onCallerGone(ar.cause());
    }
  }
}
