package io.shadowcar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.ArrayDeque;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's HTTP/1.x request decoder made the strict hop. Each decoded head must pass {@link RequestHeadRules} before
 * its body is framed; a head that fails becomes an invalid request carrying its {@link Rejection} (answered by the
 * invalid-request handler), and Netty discards every later byte of the connection. A chunked body is checked by a
 * {@link ChunkedBodyScanner} ahead of Netty's own chunk parser; on the first bad byte the body is cut off, the
 * request ends, {@link #bodyRejection()} tells the exchange to answer 400 instead of completing the forward, and
 * every later byte is discarded.
 *
 * <p>Trailer fields of chunked bodies are kept here (Vert.x's request drops them), one entry per chunked request in
 * decoding order, for the exchange to take at the request's end with {@link #takeTrailers()}.
 *
 * <p>It also times the arrival of request heads ({@link CallerLimits#headerTimeoutMs()}): a connection's first head
 * from the moment the connection is set up, every later one from its first byte. A head still incomplete then is
 * answered 408 and the connection closed (a connection that sent nothing is just closed), so a caller cannot hold a
 * connection by sending a head a byte at a time.
 *
 * <p>Installed by {@link StrictPipeline} on every HTTP/1.x connection before it reads a byte. Not for HTTP/2.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private static final byte[] HEADER_TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
      + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + Rejection.HEADER_TIMEOUT.body().length()
      + "\r\nConnection: close\r\n\r\n" + Rejection.HEADER_TIMEOUT.body()).getBytes(StandardCharsets.US_ASCII);

  private final int maxChunkLineBytes;
  private final int maxTrailerBytes;
  private final long headerTimeoutNanos;
  private final ProxyMetrics metrics;
  /** Between a request head and the end of its body. */
  private boolean inRequest;
  /** When the awaited head must be complete; {@code 0} while no head is awaited against a deadline. */
  private long headDeadlineNanos;
  /** A byte of the awaited head arrived. */
  private boolean headStarted;
  private ScheduledFuture<?> headTimer;
  private boolean headTimedOut;
  private ChunkedBodyScanner chunks;
  /** Bytes from the reader index on that {@link #chunks} has scanned already. */
  private int scannedAhead;
  private boolean chunkedHeadDecoded;
  private Rejection bodyRejection;
  /** Trailer fields of the chunked bodies decoded and not yet taken, oldest first (pipelining may decode ahead). */
  private final ArrayDeque<HttpHeaders> trailers = new ArrayDeque<>(2);
  private boolean inChunkedBody;

  StrictRequestDecoder(HttpServerOptions options, long headerTimeoutMs, ProxyMetrics metrics) {
    super(options);
    maxChunkLineBytes = options.getMaxInitialLineLength();
    maxTrailerBytes = options.getMaxHeaderSize();
    headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMs);
    this.metrics = metrics;
  }

  /** Installed on a new connection: its first head is due within the header timeout from now. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    if (headerTimeoutNanos > 0) {
      headDeadlineNanos = System.nanoTime() + headerTimeoutNanos;
      armHeadTimer(ctx);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    cancelHeadTimer();
    super.handlerRemoved0(ctx);
  }

  /** True while part of a request head has arrived and the rest has not. */
  boolean headArriving() {
    return headStarted && !inRequest;
  }

  /**
   * The trailer fields of the oldest chunked request body whose end was decoded and whose trailers were not taken
   * yet (empty when it had none). Call once per chunked request, at its end.
   */
  HttpHeaders takeTrailers() {
    HttpHeaders next = trailers.poll();
    return next == null ? io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE : next;
  }

  /** Why the current request's body was cut off, or {@code null}. Once set the connection reads nothing more. */
  Rejection bodyRejection() {
    return bodyRejection;
  }

  /**
   * Netty asks this once per request head, after the headers are parsed and before it decides how the body is
   * framed: the one place to refuse a head before any of its body is read.
   */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    if (msg instanceof HttpRequest request) {
      Rejection rejection = RequestHeadRules.check(request);
      if (rejection != null) {
        throw new RejectedRequestException(rejection);
      }
      chunkedHeadDecoded = request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
    }
    return super.isContentAlwaysEmpty(msg);
  }

  /**
   * Each read of the caller's bytes is an {@link EventClock} event: all it decodes and starts shares one clock read.
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    EventClock.Event event = EventClock.enter();
    try {
      super.channelRead(ctx, msg);
    } finally {
      event.exit();
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (bodyRejection != null || headTimedOut) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (chunks != null) {
      if (!chunks.done()) {
        int end = chunks.scan(in, in.readerIndex() + scannedAhead, in.writerIndex());
        if (chunks.failed()) {
          rejectBody(in, out);
          return;
        }
        scannedAhead = end - in.readerIndex();
      } else if (scannedAhead == 0) {
        chunks = null;
      }
    }
    int before = in.readerIndex();
    int firstOut = out.size();
    if (!inRequest && in.isReadable()) {
      headStarted = true;
      if (headDeadlineNanos == 0 && headerTimeoutNanos > 0) {
        headDeadlineNanos = EventClock.nanoTime() + headerTimeoutNanos;
      }
    }
    chunkedHeadDecoded = false;
    super.decode(ctx, in, out);
    keepTrailers(out, firstOut);
    trackRequests(ctx, out, firstOut);
    if (chunks != null) {
      scannedAhead = Math.max(0, scannedAhead - (in.readerIndex() - before));
    }
    if (chunkedHeadDecoded) {
      // Netty returns right after a chunked head: the reader index is at the first byte of the body
      chunks = new ChunkedBodyScanner(maxChunkLineBytes, maxTrailerBytes);
      scannedAhead = 0;
      chunkedHeadDecoded = false;
    }
  }

  private void keepTrailers(List<Object> out, int from) {
    for (int i = from; i < out.size(); i++) {
      Object o = out.get(i);
      if (o instanceof HttpRequest request) {
        inChunkedBody = request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
      } else if (o instanceof LastHttpContent last && inChunkedBody) {
        inChunkedBody = false;
        trailers.add(last.trailingHeaders());
      }
    }
  }

  /** Notes the heads and ends just decoded; an incomplete head is timed. */
  private void trackRequests(ChannelHandlerContext ctx, List<Object> out, int from) {
    for (int i = from; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof HttpRequest) {
        inRequest = true;
        headStarted = false;
        headDeadlineNanos = 0;
        cancelHeadTimer();
      }
      if (decoded instanceof LastHttpContent) {
        inRequest = false;
      }
    }
    if (headDeadlineNanos != 0) {
      armHeadTimer(ctx);
    }
  }

  private void armHeadTimer(ChannelHandlerContext ctx) {
    if (headTimer == null) {
      headTimer = ctx.executor().schedule(() -> onHeadTimer(ctx), Math.max(0, headDeadlineNanos - System.nanoTime()),
          TimeUnit.NANOSECONDS);
    }
  }

  private void cancelHeadTimer() {
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
  }

  private void onHeadTimer(ChannelHandlerContext ctx) {
    headTimer = null;
    if (headDeadlineNanos == 0 || inRequest || headTimedOut || !ctx.channel().isActive()) {
      return;
    }
    if (headDeadlineNanos - System.nanoTime() > 0) {
      armHeadTimer(ctx);
      return;
    }
    headTimedOut = true;
    metrics.rejected(Rejection.HEADER_TIMEOUT);
    if (headStarted) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(HEADER_TIMEOUT_RESPONSE)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close(); // nothing was asked: nothing to answer
    }
  }

  private void rejectBody(ByteBuf in, List<Object> out) {
    bodyRejection = chunks.forbiddenTrailer() ? Rejection.BAD_TRAILER : Rejection.BAD_CHUNK;
    chunks = null;
    in.skipBytes(in.readableBytes());
    // ends the request for Vert.x without failing the connection, so the exchange can still answer 400
    out.add(LastHttpContent.EMPTY_LAST_CONTENT);
  }
}
