package io.shadowcar.sink.http;

import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.DeadlineQueue;
import io.shadowcar.proxy.upstream.LoopConnectionPool;
import io.shadowcar.proxy.upstream.UpstreamClients;
import io.shadowcar.sink.observe.ShadowOutcome;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.shadowcar.common.grpc.GrpcWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One copy on its way to one shadow instance (the candidate or the secondary). Whatever happens (answer, refusal,
 * reset, deadline, full pool), {@link #finish} runs once and hands exactly one {@link End} to whoever started the
 * call ({@link TeedCopy}), which ends the copy's permit and reports the exchange.
 */
final class ShadowCall extends DeadlineQueue.Entry {

  /**
   * How a call ended.
   *
   * @param outcome the shadow's answer or failure; {@code null} when the copy never left because the pool's wait
   *     queue was full
   * @param nanos from the start of the call to its end
   */
  record End(ShadowOutcome outcome, long nanos) {
    boolean poolFull() {
      return outcome == null;
    }
  }

  private final HttpShadowSink sink;
  /** The event loop that took the copy, whose connections it uses to a plain http:// instance; else {@code null}. */
  private final ShadowLoopPools.Loop loop;
  private final TeeEvent event;
  private final TargetUrl target;
  private final Consumer<End> done;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final long startNanos = System.nanoTime();
  /** The Vert.x timer of a call started off its loop ({@code -1}: none, the deadline is in its loop's queue). */
  private volatile long timerId = -1;
  private volatile HttpClientRequest request;
  /** The event loop's pool the request came from, else {@code null} (Vert.x's pooled client). */
  private LoopConnectionPool loopPool;
  /** The loop pool's pending request, failed by the deadline to withdraw it while it waits for a connection. */
  private Promise<HttpClientRequest> pending;
  private HttpClientResponse response;

  private int status;
  private MultiMap headers;
  private Buffer body;
  private boolean bodyGrown;
  private boolean truncated;
  private long seen;

  /** @param done told once how the call ended, on whichever thread ended it */
  ShadowCall(HttpShadowSink sink, ShadowLoopPools.Loop loop, TeeEvent event, TargetUrl target,
      Consumer<End> done) {
    this.sink = sink;
    this.loop = loop;
    this.event = event;
    this.target = target;
    this.done = done;
  }

  void start() {
    HttpShadowSinkConfig config = sink.config();
    // One deadline for everything (pool wait, connect, answer, body): a trickling shadow cannot hold a slot forever.
    if (loop != null && loop.inLoop()) {
      loop.deadlines().add(this, startNanos);
    } else {
      timerId = sink.vertx().setTimer(config.timeoutMs(), id -> onDeadline());
    }
    try {
      send(config);
    } catch (RuntimeException e) {
      // E.g. a header value the client refuses to encode: still one counted outcome, never a throw to the caller.
      fail(e);
    }
  }

  private void send(HttpShadowSinkConfig config) {
    String host = event.header("host");
    RequestOptions options = new RequestOptions()
        .setMethod(event.method())
        .setServer(SocketAddress.inetSocketAddress(target.port(), target.host()))
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.tls())
        .setURI(target.pathPrefix() + event.uri())
        .setConnectTimeout(config.timeoutMs());
    HostAndPort authority = host == null ? null : HostAndPort.parseAuthority(host, -1);
    int slot = UpstreamClients.slot(target);
    if (GrpcWire.isGrpc(event.header("content-type"))) {
      slot = UpstreamClients.grpcSlot(slot); // a gRPC call needs HTTP/2 whatever the scheme
    }
    LoopConnectionPool pool = loop != null && UpstreamClients.isPlainHttp1(slot) ? loop.pool() : null;
    if (pool == null) {
      sink.clients().client(slot).request(options).onComplete(ar -> onRequest(ar, authority));
      return;
    }
    loopPool = pool;
    pending = Promise.promise();
    pending.future().onComplete(ar -> onRequest(ar, authority));
    pool.request(sink.loopPools().target(target), options, pending);
  }

  private void onRequest(AsyncResult<HttpClientRequest> ar, HostAndPort authority) {
    if (ar.failed()) {
      fail(ar.cause());
      return;
    }
    HttpClientRequest req = ar.result();
    request = req;
    req.exceptionHandler(this::fail);
    if (finished.get()) {
      req.reset(0, new TimeoutException("deadline passed before the request left"));
      release(false);
      return;
    }
    try {
      copyHeaders(req.headers());
      if (authority != null) {
        req.authority(authority);
      }
      req.response().onComplete(r -> {
        if (r.failed()) {
          fail(r.cause());
        } else {
          read(r.result());
        }
      });
      Buffer payload = event.body();
      if (payload.length() == 0 && !needsEmptyBody(event.method())) {
        req.end();
      } else {
        req.end(payload);
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /**
   * The copy's headers but {@code Host} (the request's authority says where it was addressed), straight into the
   * request's own map, which validates each: building a map for the request options first, which the client then
   * copied into its request, was 6 % of the shadow loop's time.
   */
  private void copyHeaders(MultiMap into) {
    for (Map.Entry<String, String> header : event.headers()) {
      if (!header.getKey().equalsIgnoreCase("host")) {
        into.add(header.getKey(), header.getValue());
      }
    }
  }

  /** Gives a loop pool's connection back ({@code complete}: request and answer went through whole) or closes it. */
  private void release(boolean complete) {
    HttpClientRequest req = request;
    if (loopPool != null && req != null) {
      loopPool.release(req, response, complete);
    }
  }

  private static boolean needsEmptyBody(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
  }

  private void read(HttpClientResponse response) {
    this.response = response;
    int cap = sink.responseCaptureBytes();
    status = response.statusCode();
    headers = response.headers();
    response.exceptionHandler(this::fail);
    response.handler(chunk -> {
      int n = chunk.length();
      seen += n;
      int take = Math.min(n, cap - (body == null ? 0 : body.length()));
      if (take > 0) {
        if (body == null) {
          // The usual one-chunk answer is kept as the client handed it over (its own heap copy of the bytes), where
          // a 1 KiB capture buffer per copy and a second copy of the bytes were the sink loop's largest allocation.
          body = take == n ? chunk : chunk.getBuffer(0, take);
        } else {
          if (!bodyGrown) { // a chunk may be a fixed-size view: the body grows in a buffer of its own
            body = Buffer.buffer(Math.min(cap, body.length() + n)).appendBuffer(body);
            bodyGrown = true;
          }
          body.appendBuffer(chunk, 0, take);
        }
      }
      if (take < n) {
        truncated = true;
      }
    });
    response.endHandler(v -> {
      if (!response.trailers().isEmpty()) {
        // gRPC's status is in the trailers: they join the captured headers, as for the primary's response
        headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(headers).addAll(response.trailers());
      }
      answered();
    });
  }

  private void answered() {
    if (!finish()) {
      return;
    }
    release(true);
    long nanos = System.nanoTime() - startNanos;
    // body is null when no bytes came: CapturedResponse makes it empty
    done.accept(new End(ShadowOutcome.answered(new CapturedResponse(status, CapturedResponse.copyOf(headers), body,
        truncated, seen, Duration.ofNanos(nanos))), nanos));
  }

  private void fail(Throwable cause) {
    if (!finish()) {
      return;
    }
    HttpClientRequest req = request;
    if (req != null) {
      // Frees the connection (HTTP/1.1: closes it) so a stuck shadow cannot keep the slot.
      req.reset(0, cause);
      release(false);
    } else if (pending != null) {
      pending.tryFail(cause); // still waiting for a loop pool's connection: never gets one now
    }
    long nanos = System.nanoTime() - startNanos;
    done.accept(new End(cause instanceof ConnectionPoolTooBusyException ? null : ShadowOutcome.failed(cause), nanos));
  }

  /** The deadline passed (on the loop, or the Vert.x timer's context). */
  @Override
  protected void onDeadline() {
    fail(new TimeoutException("shadow gave no complete answer within " + sink.config().timeoutMs() + " ms"));
  }

  /** {@code true} for the one caller that gets to report the outcome. */
  private boolean finish() {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    if (timerId >= 0) {
      sink.vertx().cancelTimer(timerId);
    } else if (loop != null) { // no timer: the deadline is in the loop's queue
      if (loop.inLoop()) {
        loop.deadlines().remove(this);
      } else {
        loop.dropDeadlineLater(this); // ended on another thread (an HTTPS secondary's connection)
      }
    }
    return true;
  }
}
