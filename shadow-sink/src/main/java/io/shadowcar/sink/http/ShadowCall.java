package io.shadowcar.sink.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.DeadlineQueue;
import io.shadowcar.proxy.upstream.Http1Connection;
import io.shadowcar.proxy.upstream.Http1Connections;
import io.shadowcar.proxy.upstream.UpstreamClients;
import io.shadowcar.sink.observe.ShadowOutcome;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.shadowcar.common.grpc.GrpcWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

/**
 * One copy on its way to one shadow instance (the candidate or the secondary). Whatever happens (answer, refusal,
 * reset, deadline, full pool), {@link #finish} runs once and hands exactly one {@link End} to whoever started the
 * call ({@link TeedCopy}), which ends the copy's permit and reports the exchange.
 *
 * <p>To a plain {@code http://} instance from an event loop, the copy goes as one Netty request on a connection of
 * that loop's {@link Http1Connections} (this call is the connection's holder while it runs, all of it on that loop);
 * otherwise through Vert.x's client.
 */
final class ShadowCall extends DeadlineQueue.Entry implements Http1Connection.Holder, Http1Connections.Waiter {

  /**
   * How a call ended.
   *
   * @param outcome the shadow's answer or failure; {@code null} when the copy never left because the pool's wait
   *     queue was full
   * @param nanos from the start of the call to its end
   * @param heldNanos how long the call held a connection (from holding it to the end); 0 when it never held one
   */
  record End(ShadowOutcome outcome, long nanos, long heldNanos) {
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
  // 1 once finished; a field and an updater, not an AtomicBoolean: one object less per copy in flight
  private static final AtomicIntegerFieldUpdater<ShadowCall> FINISHED =
      AtomicIntegerFieldUpdater.newUpdater(ShadowCall.class, "finished");
  private volatile int finished;
  private final long startNanos = System.nanoTime();
  /** When the call got its connection (a loop's, or Vert.x's request); 0 until then. */
  private volatile long heldAtNanos;
  /** The Vert.x timer of a call started off its loop ({@code -1}: none, the deadline is in its loop's queue). */
  private volatile long timerId = -1;
  private volatile HttpClientRequest request;
  /** The event loop's connections the copy goes over, else {@code null} (Vert.x's pooled client). */
  private Http1Connections loopPool;
  /** The loop's connection this copy holds, once it has one. */
  private Http1Connection connection;
  private HttpResponse answer;
  /** The answer's bytes kept so far from a loop's connection (a heap copy), else {@code null}. */
  private ByteBuf captured;

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
    int slot = UpstreamClients.slot(target);
    if (GrpcWire.isGrpc(event.header("content-type"))) {
      slot = UpstreamClients.grpcSlot(slot); // a gRPC call needs HTTP/2 whatever the scheme
    }
    Http1Connections pool = loop != null && UpstreamClients.isPlainHttp1(slot) ? loop.pool() : null;
    if (pool != null) {
      loopPool = pool;
      pool.acquire(sink.loopPools().target(target), this);
      return;
    }
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
    sink.clients().client(slot).request(options).onComplete(ar -> onRequest(ar, authority));
  }

  // --- over a loop's connection

  @Override
  public void connected(Http1Connection held) {
    if (finished != 0) {
      loopPool.releaseUnused(held);
      return;
    }
    connection = held;
    heldAtNanos = System.nanoTime();
    held.hold(this);
    try {
      held.send(fullRequest());
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /**
   * The copy as one request: its headers but {@code Host} copied into a map that validates each (as Vert.x's request
   * map does), {@code Host} the one the caller sent (else the instance's), the body with its length.
   */
  private FullHttpRequest fullRequest() {
    HeadersMultiMap fields = HeadersMultiMap.httpHeaders();
    copyHeaders(fields);
    String host = event.header("host");
    fields.set(HttpHeaderNames.HOST, host != null ? host : target.authority());
    fields.remove(HttpHeaderNames.TRANSFER_ENCODING);
    Buffer payload = event.body();
    ByteBuf content = Unpooled.EMPTY_BUFFER;
    if (payload.length() > 0 || needsEmptyBody(event.method())) {
      fields.set(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(payload.length()));
      content = ((BufferInternal) payload).getByteBuf();
    }
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, event.method().toNetty(), target.pathPrefix() + event.uri(),
        content, fields, EmptyHttpHeaders.INSTANCE);
  }

  @Override
  public void connectFailed(Throwable cause) {
    fail(cause);
  }

  @Override
  public boolean withdrawn() {
    return finished != 0;
  }

  @Override
  public void answerContinue() {
    // the copy went whole; a 100 before the answer changes nothing
  }

  @Override
  public void answerHead(HttpResponse head) {
    answer = head;
    status = head.status().code();
    headers = Http1Connection.fields(head.headers());
  }

  @Override
  public void answerChunk(ByteBuf data) {
    try {
      int n = data.readableBytes();
      seen += n;
      int take = Math.min(n, sink.responseCaptureBytes() - (captured == null ? 0 : captured.readableBytes()));
      if (take > 0) {
        if (captured == null) {
          captured = VertxByteBufAllocator.DEFAULT.heapBuffer(take); // exactly the bytes kept; grows for a later chunk
        }
        captured.writeBytes(data, data.readerIndex(), take);
      }
      if (take < n) {
        truncated = true;
      }
    } finally {
      data.release();
    }
  }

  @Override
  public void answerEnd(io.netty.handler.codec.http.HttpHeaders trailers) {
    if (!trailers.isEmpty()) {
      // gRPC's status is in the trailers: they join the captured headers, as for the primary's response
      headers = MultiMap.caseInsensitiveMultiMap().addAll(headers).addAll(Http1Connection.fields(trailers));
    }
    if (captured != null) {
      body = BufferInternal.buffer(captured);
    }
    answered();
  }

  @Override
  public void answerLast(ByteBuf data, io.netty.handler.codec.http.HttpHeaders trailers) {
    answerChunk(data);
    answerEnd(trailers);
  }

  @Override
  public void drained() {
    // the copy was written whole at once: nothing waits for the connection to drain
  }

  @Override
  public void failed(Throwable cause) {
    fail(cause);
  }

  // --- through Vert.x's client

  private void onRequest(AsyncResult<HttpClientRequest> ar, HostAndPort authority) {
    if (ar.failed()) {
      fail(ar.cause());
      return;
    }
    HttpClientRequest req = ar.result();
    heldAtNanos = System.nanoTime();
    request = req;
    req.exceptionHandler(this::fail);
    if (finished != 0) {
      req.reset(0, new TimeoutException("deadline passed before the request left"));
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

  /** Gives a loop's connection back ({@code complete}: request and answer went through whole) or closes it. */
  private void release(boolean complete) {
    if (connection != null) {
      loopPool.release(connection, answer, complete);
    }
  }

  private static boolean needsEmptyBody(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
  }

  private void read(HttpClientResponse response) {
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
    long now = System.nanoTime();
    long nanos = now - startNanos;
    // body is null when no bytes came: CapturedResponse makes it empty
    done.accept(new End(ShadowOutcome.answered(new CapturedResponse(status, CapturedResponse.copyOf(headers), body,
        truncated, seen, Duration.ofNanos(nanos))), nanos, heldNanos(now)));
  }

  private void fail(Throwable cause) {
    if (!finish()) {
      return;
    }
    HttpClientRequest req = request;
    if (req != null) {
      // Frees the connection (HTTP/1.1: closes it) so a stuck shadow cannot keep the slot.
      req.reset(0, cause);
    } else if (connection != null) {
      connection.close(); // the same on a loop's connection; one still waited for is withdrawn (finished)
    }
    long now = System.nanoTime();
    done.accept(new End(cause instanceof ConnectionPoolTooBusyException ? null : ShadowOutcome.failed(cause),
        now - startNanos, heldNanos(now)));
  }

  private long heldNanos(long now) {
    long heldAt = heldAtNanos;
    return heldAt == 0 ? 0 : now - heldAt;
  }

  /** The deadline passed (on the loop, or the Vert.x timer's context). */
  @Override
  protected void onDeadline() {
    fail(new TimeoutException("shadow gave no complete answer within " + sink.config().timeoutMs() + " ms"));
  }

  /** {@code true} for the one caller that gets to report the outcome. */
  private boolean finish() {
    if (!FINISHED.compareAndSet(this, 0, 1)) {
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
