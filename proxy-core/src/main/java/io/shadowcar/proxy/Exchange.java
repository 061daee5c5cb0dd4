package io.shadowcar.proxy;

import io.netty.handler.codec.http.HttpResponse;
import io.shadowcar.proxy.ProxyMetrics.Outcome;
import io.shadowcar.proxy.tap.RequestHead;
import io.shadowcar.proxy.upstream.Target;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request crossing the proxy: caller → primary → caller, streamed both ways with back-pressure, observed by the
 * tap. This class picks the primary, holds the deadline and the breaker permission, and ends the exchange, with its own
 * answer when something fails; the request body is {@link RequestBody}'s and the response {@link ResponseRelay}'s.
 * Event-loop confined. Every path ends in {@link #finish}, which runs once and releases everything: deadline,
 * breaker permission, upstream request (its connection back to the pool, or closed), metric, tap.
 */
final class Exchange extends DeadlineQueue.Entry {

  private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
  private static final ProxyException TIMED_OUT = new ProxyException(ProxyError.TIMEOUT, null);
  private static final ProxyException BAD_GATEWAY_STATUS = new ProxyException(ProxyError.REFUSED, null);

  private final LoopContext loop;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final ResponseRelay relay;
  private final long startNanos;
  private GuardedTap tap;
  private String requestId;
  private BreakerPermit permit = BreakerPermit.NONE;
  private String uri;
  private MultiMap headers;
  private RequestBody body;
  private Target target;
  private PrimaryRequest upstream;
  /** The protocol of a tunnelled {@code Upgrade} request (holding a tunnel slot), else {@code null}. */
  private String upgrade;
  /** The caller's and the primary's connections were handed to a {@link Tunnel} (which owns the slot now). */
  private boolean tunnelled;
  /** Status sent (or being sent) to the caller; 0 while no response head exists. */
  private int status;
  /** Trailer fields the caller sent after a chunked body, for the primary; {@code null} for none. */
  private MultiMap trailers;
  private boolean finished;

  Exchange(LoopContext loop, HttpServerRequest request) {
    this.loop = loop;
    this.request = request;
    this.response = request.response();
    this.relay = new ResponseRelay(this, loop, request);
    this.startNanos = EventClock.nanoTime();
  }

  void start() {
    loop.metrics.exchangeStarted();
    GuardedStep.run(this, Exchange::forward, null);
  }

  private void forward(Void unused) {
    request.pause();
    body = new RequestBody(this, loop, request);
    request.handler(GuardedStep.of(this, Exchange::onRequestChunk));
    request.endHandler(GuardedStep.of(this, Exchange::onRequestEnd));
    request.exceptionHandler(this::onCallerGone);
    response.closeHandler(this::onCallerClosed);
    response.exceptionHandler(this::onCallerGone);

    requestId = loop.requestId(request.headers().get(ForwardedHeaders.X_REQUEST_ID_NAME));
    uri = Framing.wireTarget(Framing.originForm(request.uri()));
    if (uri == null || request.method() == HttpMethod.CONNECT) {
      // HTTP/1.x requests like these were refused by the decoder already; this catches HTTP/2 ones
      reject(uri == null ? Rejection.BAD_TARGET : Rejection.CONNECT);
      return;
    }
    String client = ForwardedHeaders.clientAddress(request);
    headers = ForwardedHeaders.forRequest(request, client, loop.forwarding(), requestId);
    String protocol = loop.tunnels.config().enabled() ? Framing.tunnelProtocol(request) : null;
    tap = loop.openTap(new RequestHead(requestId, request.method(), uri, headers, request.version(), client,
        protocol));
    if (protocol != null && !loop.tunnels.tryAcquire()) {
      fail(ProxyError.TUNNELS_FULL, null);
      return;
    }
    upgrade = protocol; // holds a tunnel slot from here
    if (!body.readAhead(headers, response)) {
      connect(startNanos); // the exchange began in this same call, with the same event's stamp
    }
  }

  /** Takes a primary target (and a breaker permission) and asks the loop's client for a connection to it. */
  void connect() {
    connect(EventClock.nanoTime());
  }

  private void connect(long now) {
    target = loop.pickTarget();
    if (target == null) {
      fail(loop.balancer.allOpen() ? ProxyError.CIRCUIT_OPEN : ProxyError.NO_TARGET, null);
      return;
    }
    permit = new BreakerPermit(target, now);
    if (tap != null) {
      tap.upstream(target.uri());
    }
    loop.deadlines.add(this, now);
    LeanPrimaryRequest lean = upgrade == null ? loop.leanRequest(this, target, request.method(), uri, headers) : null;
    if (lean != null) {
      loop.acquire(target, lean); // onUpstreamReady once it holds a connection
      return;
    }
    (upgrade == null ? loop.request(target, request.method(), uri, headers)
        : loop.upgrade(target, uri, headers, upgrade)).onComplete(GuardedStep.of(this, Exchange::onUpstreamRequest));
  }

  private void onUpstreamRequest(AsyncResult<HttpClientRequest> ar) {
    if (ar.failed()) {
      onUpstreamFailure(ar.cause());
      return;
    }
    VertxPrimaryRequest up = new VertxPrimaryRequest(this, ar.result());
    if (!finished) {
      up.listen();
    }
    onUpstreamReady(up);
  }

  /** The request to the primary has its connection: the head and the body follow. */
  void onUpstreamReady(PrimaryRequest up) {
    if (finished) {
      up.reset();
      up.release(false);
      return;
    }
    upstream = up;
    // The deadline covered getting a connection; while the body streams the caller's pace rules (body idle timeout),
    // and the deadline for the response head restarts once the body is sent.
    loop.deadlines.remove(this);
    up.prepare(request, body.readAheadBytes());
    if (upgrade != null) {
      ((VertxPrimaryRequest) up).sendUpgradeHead();
    }
    body.attach(up, tap);
  }

  /** True once a primary target was picked for this exchange. */
  boolean connecting() {
    return target != null;
  }

  void onUpstreamContinue(Void unused) {
    if (!finished && status == 0) {
      response.writeContinue();
      body.watch(); // the caller's turn to send the body
    }
  }

  private void onRequestChunk(Buffer chunk) {
    if (!finished) { // otherwise answered already (error or early response): the rest of the body is discarded
      body.onChunk(chunk);
    }
  }

  void onUpstreamDrained(Void unused) {
    if (!finished) {
      body.onUpstreamDrained();
    }
  }

  private void onRequestEnd(Void unused) {
    trailers = StrictPipeline.takeTrailers(request);
    Rejection cut = StrictPipeline.bodyRejection(request);
    if (finished && cut == null) {
      return;
    }
    body.onEnd(cut);
  }

  /**
   * Ends the request to the primary, with the caller's trailers when it sent some. An upgrade request is not ended:
   * it has no body, and ending it would close its connection.
   */
  void endUpstream(PrimaryRequest up) {
    if (trailers != null || upgrade == null) {
      up.end(trailers, loop.metrics);
    }
  }

  /** The whole body went to the primary: the deadline for its response head starts. */
  void bodySent() {
    if (status == 0) {
      loop.deadlines.add(this, EventClock.nanoTime());
    }
  }

  /** The caller sent nothing of its body for {@code bodyIdleTimeoutMs}: its doing, never the primary's. */
  void onBodyIdle() {
    if (!finished) {
      cutOff(Rejection.BODY_TIMEOUT);
    }
  }

  /**
   * The body cannot be completed: the decoder cut a chunked body off at an invalid byte, the trailers are refused, or
   * the caller stalled. The primary must not get it as complete. Answer while no response has started, otherwise
   * reset; either way an HTTP/1.x connection closes (an HTTP/2 one carries other streams).
   */
  void cutOff(Rejection rejection) {
    if (!finished && status == 0) {
      reject(rejection);
      return;
    }
    loop.metrics.rejected(rejection);
    if (!finished) {
      response.reset();
      finish(Outcome.ABORTED, new ProxyException(rejection.error(), null));
    }
    if (request.version() != HttpVersion.HTTP_2) {
      request.connection().close();
    }
  }

  void onUpstreamResponse(AsyncResult<HttpClientResponse> ar) {
    if (ar.failed()) {
      onUpstreamFailure(ar.cause());
      return;
    }
    if (finished) {
      return;
    }
    HttpClientResponse r = ar.result();
    ((VertxPrimaryRequest) upstream).response = r;
    int code = r.statusCode();
    answered(code);
    if (upgrade != null && code == 101) {
      status = 101;
      relay.switchProtocols(r, tap, upgrade);
      return;
    }
    status = code;
    r.exceptionHandler(GuardedStep.of(this, Exchange::onUpstreamFailure));
    relay.relay(r, tap, requestId);
  }

  /** The head of a plain HTTP/1.1 primary's response (status 200 or more). */
  void onLeanResponse(HttpResponse head) {
    if (finished) {
      return;
    }
    status = head.status().code();
    answered(status);
    relay.relayLean(head, ((LeanPrimaryRequest) upstream).connection(), tap, requestId);
  }

  /** The primary's response head came: its deadline ends, and the breaker learns how the primary did. */
  private void answered(int code) {
    loop.deadlines.remove(this);
    if (code >= 502 && code <= 504) {
      permit.error(BAD_GATEWAY_STATUS);
    } else {
      permit.success();
    }
  }

  /** The response side, for the guarded steps it registers. */
  ResponseRelay relay() {
    return relay;
  }

  /** True once the exchange has ended (every later event is ignored). */
  boolean ended() {
    return finished;
  }

  /** The caller has the primary's whole response. */
  void forwarded() {
    finish(Outcome.FORWARDED, null);
  }

  /** The caller's and the primary's connections now belong to a {@link Tunnel}, which holds the tunnel slot. */
  void tunnelOpened() {
    tunnelled = true;
    finish(Outcome.FORWARDED, null);
  }

  /** The deadline for the primary's response head passed. */
  @Override
  protected void onDeadline() {
    if (finished || status != 0) {
      return;
    }
    permit.error(TIMED_OUT);
    fail(ProxyError.TIMEOUT, null);
  }

  void onUpstreamFailure(Throwable cause) {
    if (finished) {
      return;
    }
    if (body.waitingForCaller()) {
      // The primary gave up while it waited for the caller's next bytes (its own read timeout): not its failure.
      permit.release();
    } else {
      permit.error(cause);
    }
    if (status == 0) {
      fail(loop.failures.kind(permit.target(), cause), cause);
    } else {
      abort(ProxyError.UPSTREAM_RESET, cause);
    }
  }

  /** Something in the proxy threw: end the exchange like any other failure instead of leaving it hanging. */
  void onInternalError(RuntimeException e) {
    if (finished) {
      LOG.warn("Unexpected error after the exchange ended", e);
      return;
    }
    LOG.warn("Unexpected error while forwarding, exchange ended", e);
    permit.release();
    if (status == 0) {
      try {
        fail(ProxyError.INTERNAL, e);
        return;
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
    }
    abort(ProxyError.INTERNAL, e);
  }

  private void onCallerClosed(Void unused) {
    if (response.ended()) {
      // HTTP/2 closes the stream at every normal end, possibly before end()'s callback: that callback finishes the
      // exchange (or reports the write failure), so this is not a caller reset.
      return;
    }
    onCallerGone(null);
  }

  void onCallerGone(Throwable cause) {
    if (!finished) {
      abort(ProxyError.CALLER_RESET, cause);
    }
  }

  /** Answers the caller with the proxy's own error response. */
  private void fail(ProxyError error, Throwable cause) {
    loop.metrics.error(error);
    answer(error, error.status(), error.body(), cause, false);
  }

  /** Refuses the request (counted by reason) and, on HTTP/1.x, closes the connection after the answer. */
  private void reject(Rejection rejection) {
    loop.metrics.rejected(rejection);
    answer(rejection.error(), rejection.status(), rejection.body(), null, request.version() != HttpVersion.HTTP_2);
  }

  private void answer(ProxyError error, int code, String text, Throwable cause, boolean close) {
    status = code;
    // the id is set after the tap saw the head, as for the primary's answers
    Buffer body = Framing.ownAnswer(response, code, text, close);
    if (tap != null) {
      tap.responseHead(status, response.headers());
      tap.responseChunk(body);
    }
    if (requestId != null) {
      response.putHeader(ForwardedHeaders.X_REQUEST_ID_NAME, requestId);
    }
    // Accounted before writing: once the caller has the response it may look at the metrics.
    finish(Outcome.ERROR, new ProxyException(error, cause));
    if (!request.isEnded()) {
      request.resume(); // drain and discard what is left of the request body
    }
    Future<Void> written = response.end(body);
    if (close) {
      written.onComplete(ar -> request.connection().close());
    }
  }

  /** Ends the exchange without a complete response: both sides are reset so nothing waits or leaks. */
  private void abort(ProxyError error, Throwable cause) {
    loop.metrics.error(error);
    if (error != ProxyError.CALLER_RESET) {
      response.reset();
    }
    finish(Outcome.ABORTED, new ProxyException(error, cause));
  }

  private void finish(Outcome outcome, Throwable failure) {
    if (finished) {
      return;
    }
    finished = true;
    loop.deadlines.remove(this);
    relay.release();
    if (body != null) {
      body.release();
    }
    permit.release();
    if (upstream != null) {
      boolean complete = failure == null && !tunnelled && body.ended();
      if (!complete && !tunnelled) {
        // The primary answered before the body ended, or the exchange failed: never return a half-used connection
        // to the pool.
        upstream.reset();
      }
      upstream.release(complete);
    }
    if (upgrade != null && !tunnelled) {
      VertxPrimaryRequest up = (VertxPrimaryRequest) upstream;
      loop.tunnels.notOpened(up == null ? null : up.request, up == null ? null : up.response);
    }
    loop.metrics.exchangeEnded(outcome, status, EventClock.nanoTime() - startNanos);
    if (tap != null) {
      tap.complete(failure);
    }
  }
}
