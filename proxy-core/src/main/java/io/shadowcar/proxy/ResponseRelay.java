package io.shadowcar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import io.shadowcar.proxy.upstream.Http1Connection;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;

/**
 * The response side of one {@link Exchange}: the primary's answer relayed to the caller (head, body with
 * back-pressure, trailers) and shown to the tap; or, when the primary accepted an upgrade, the two connections handed
 * to a {@link Tunnel}. Event-loop confined; every step runs guarded by its exchange and does nothing once the exchange
 * has ended.
 *
 * <p>A plain HTTP/1.1 primary's body goes as Netty read it, from its {@link Http1Connection}; so does an HTTPS
 * primary's HTTP/1.x body to an HTTP/1.x caller ({@link DirectResponseBody}): the caller's response writes the pooled
 * buffer itself, which is released once written, and the tap gets a copy. The chunks of one read of the primary are
 * written to the caller together, when the read ends or with the response's end: a chunked answer read in one piece
 * (the head, a chunk and the last chunk) then reaches the caller as one write, not one per chunk and one for the end,
 * each of which the caller's kernel would send as a segment of its own.
 */
final class ResponseRelay implements DirectResponseBody.Receiver {

  private final Exchange exchange;
  private final LoopContext loop;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private GuardedTap tap;
  private HttpClientResponse from;
  /** The primary's connection hands the body over directly; {@code null} when it goes through Vert.x's client. */
  private DirectResponseBody direct;
  /** The plain HTTP/1.1 primary's connection the body comes from; {@code null} on Vert.x's client. */
  private Http1Connection lean;
  /**
   * Direct chunks read but not yet written, in order (one buffer, or a composite of several); {@code null} for none.
   * Written when the primary's read ends ({@link #batchEnd}), with the response's end, or once over {@link #HELD_MAX}.
   */
  private ByteBuf held;

  /** What one read may hold back before it is written anyway: a large body still streams in large writes. */
  static final int HELD_MAX = 64 * 1024;

  ResponseRelay(Exchange exchange, LoopContext loop, HttpServerRequest request) {
    this.exchange = exchange;
    this.loop = loop;
    this.request = request;
    this.response = request.response();
  }

  /** Gives the caller the primary's head now and its body as it comes; the exchange finishes once all is written. */
  void relay(HttpClientResponse primary, GuardedTap observer, String requestId) {
    from = primary;
    Framing.copyResponseHead(request, primary, response);
    headCopied(primary.statusCode(), observer, requestId);
    primary.handler(GuardedStep.of(exchange, (e, chunk) -> e.relay().onChunk(chunk)));
    primary.endHandler(GuardedStep.of(exchange, (e, unused) -> e.relay().onEnd()));
    if (request.version() != HttpVersion.HTTP_2 && primary.version() != HttpVersion.HTTP_2
        && (response.isChunked() || response.headers().contains(HttpHeaders.CONTENT_LENGTH))) {
      DirectResponseBody body = DirectResponseBody.of(primary.request());
      if (body != null && body.attach(this)) {
        direct = body;
      }
    }
  }

  /**
   * As {@link #relay}, for a plain HTTP/1.1 primary's response on a {@link Http1Connection}: its body chunks come
   * to {@link #chunk} in the buffers Netty read them into, its end to {@link #onLeanEnd}, or the last chunk and the end
   * together to {@link #lastChunk}.
   */
  void relayLean(HttpResponse head, Http1Connection connection, GuardedTap observer, String requestId) {
    lean = connection;
    int code = head.status().code();
    Framing.copyResponseHead(request, code, head.status().reasonPhrase(), Http1Connection.fields(head.headers()),
        response);
    headCopied(code, observer, requestId);
  }

  /** The caller's response has the primary's head: the tap sees it, then the id goes on, and the caller's drains. */
  private void headCopied(int code, GuardedTap observer, String requestId) {
    tap = observer;
    if (tap != null) {
      tap.responseHead(code, response.headers());
    }
    // After the tap copied the primary's head: the caller learns the id its copy carries, the diff compares answers.
    response.headers().set(ForwardedHeaders.X_REQUEST_ID_NAME, requestId);
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

  /** A chunk from {@link DirectResponseBody}: called by the primary's connection, not by Vert.x, hence guarded here. */
  @Override
  public void chunk(ByteBuf data) {
    GuardedStep.run(exchange, (e, chunk) -> e.relay().onDirectChunk(chunk), data);
  }

  private void onDirectChunk(ByteBuf data) {
    if (exchange.ended()) {
      data.release();
      return;
    }
    hold(data); // first: held, it is released with the exchange whatever throws next
    showTap(data);
    if (held.readableBytes() >= HELD_MAX) {
      writeHeld();
    }
  }

  /** The primary's read ended: what it held back goes to the caller now, in one write. */
  @Override
  public void batchEnd() {
    if (held != null) {
      GuardedStep.run(exchange, (e, unused) -> e.relay().onBatchEnd(), null);
    }
  }

  private void onBatchEnd() {
    if (held != null && !exchange.ended()) {
      writeHeld();
    }
  }

  /** Adds {@code data} (owned from here) after the chunks held back. */
  private void hold(ByteBuf data) {
    if (held == null) {
      held = data;
      return;
    }
    CompositeByteBuf chunks;
    if (held instanceof CompositeByteBuf composite) {
      chunks = composite;
    } else {
      chunks = data.alloc().compositeDirectBuffer();
      chunks.addComponent(true, held);
      held = chunks;
    }
    chunks.addComponent(true, data);
  }

  /** The chunks held back, handed over to the caller; {@code null} when there are none. */
  private ByteBuf takeHeld() {
    ByteBuf taken = held;
    held = null;
    return taken;
  }

  private void writeHeld() {
    sendHeld(false);
    if (response.writeQueueFull()) {
      if (lean != null) {
        lean.pause();
      } else {
        direct.pause();
      }
    }
  }

  /**
   * Hands the chunks held back to the caller's response, as a write or, when {@code last}, as its end (with the head
   * if it is not written yet: one write for all); they are released once written.
   */
  private Future<Void> sendHeld(boolean last) {
    ByteBuf data = takeHeld();
    Future<Void> written;
    try {
      Buffer chunks = BufferInternal.buffer(data); // Vert.x writes a slice it does not release
      written = last ? response.end(chunks) : response.write(chunks);
    } catch (RuntimeException e) {
      data.release();
      throw e;
    }
    written.onComplete(ar -> data.release()); // before any handler the caller adds
    return written;
  }

  /** Releases the chunks held back, when the exchange ended without writing them. */
  void release() {
    ByteBuf data = takeHeld();
    if (data != null) {
      data.release();
    }
  }

  /**
   * The last chunk of a plain HTTP/1.1 primary's body, with its end: the caller's response ends with it, so that a
   * response not yet started (a body in one piece) goes to the caller as one write, head, body and end together.
   */
  void lastChunk(ByteBuf data, io.netty.handler.codec.http.HttpHeaders trailers) {
    GuardedStep.run(exchange, (e, last) -> e.relay().onLeanLast(last), new LastChunk(data, trailers));
  }

  /** The last chunk of a body and the trailers after it (empty for none). */
  private record LastChunk(ByteBuf data, io.netty.handler.codec.http.HttpHeaders trailers) {}

  private void onLeanLast(LastChunk last) {
    ByteBuf data = last.data();
    if (exchange.ended()) {
      data.release();
      return;
    }
    hold(data); // first: held, it is released with the exchange whatever throws next
    showTap(data);
    end(leanTrailers(last.trailers()));
  }

  /**
   * Shows a direct chunk to the tap before it is written, since the write may release it at once. A tap copies what it
   * keeps (its contract), so it gets a view: the capture takes at most its cap of a large body, and nothing is copied
   * twice.
   */
  private void showTap(ByteBuf data) {
    if (tap != null) {
      tap.responseChunk(BufferInternal.buffer(data.slice()));
    }
  }

  private void onCallerDrained() {
    if (exchange.ended()) {
      return;
    }
    if (lean != null) {
      lean.resume();
    } else if (direct != null) {
      direct.resume();
    } else {
      from.resume();
    }
  }

  private void onEnd() {
    if (!exchange.ended()) {
      end(Trailers.copyResponse(request, from, response));
    }
  }

  /** The plain HTTP/1.1 primary's response ended, with {@code trailers} (empty for none). */
  void onLeanEnd(io.netty.handler.codec.http.HttpHeaders trailers) {
    if (!exchange.ended()) {
      end(leanTrailers(trailers));
    }
  }

  /** A plain HTTP/1.1 primary's trailers copied to the caller's response; {@code null} for none (and no map built). */
  private MultiMap leanTrailers(io.netty.handler.codec.http.HttpHeaders trailers) {
    return trailers.isEmpty() ? null : Trailers.copyResponse(request, Http1Connection.fields(trailers), response);
  }

  private void end(MultiMap trailers) {
    if (trailers != null && tap != null) {
      tap.responseTrailers(trailers);
    }
    (held == null ? response.end() : sendHeld(true)).onComplete(this::onWritten);
  }

  /**
   * The answer's last write completed: an {@link EventClock} event of its own (a write's completion is not part of a
   * read), in which the exchange's end, the breaker's call time and the pool's stamp of the connection share one read.
   */
  private void onWritten(AsyncResult<Void> ar) {
    EventClock.Event event = EventClock.enter();
    try {
      if (ar.succeeded()) {
        exchange.forwarded();
      } else {
        exchange.onCallerGone(ar.cause());
      }
    } finally {
      event.exit();
    }
  }
}
