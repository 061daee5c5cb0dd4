package io.shadowcar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.ArrayDeque;
import java.util.List;

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
 * <p>Installed by {@link StrictPipeline} on every HTTP/1.x connection before it reads a byte. Not for HTTP/2.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private final int maxChunkLineBytes;
  private final int maxTrailerBytes;
  private ChunkedBodyScanner chunks;
  /** Bytes from the reader index on that {@link #chunks} has scanned already. */
  private int scannedAhead;
  private boolean chunkedHeadDecoded;
  private Rejection bodyRejection;
  /** Trailer fields of the chunked bodies decoded and not yet taken, oldest first (pipelining may decode ahead). */
  private final ArrayDeque<HttpHeaders> trailers = new ArrayDeque<>(2);
  private boolean inChunkedBody;

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
    maxChunkLineBytes = options.getMaxInitialLineLength();
    maxTrailerBytes = options.getMaxHeaderSize();
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

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (bodyRejection != null) {
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
    chunkedHeadDecoded = false;
    int decoded = out.size();
    super.decode(ctx, in, out);
    keepTrailers(out, decoded);
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

  private void rejectBody(ByteBuf in, List<Object> out) {
    bodyRejection = Rejection.BAD_CHUNK;
    chunks = null;
    in.skipBytes(in.readableBytes());
    // ends the request for Vert.x without failing the connection, so the exchange can still answer 400
    out.add(LastHttpContent.EMPTY_LAST_CONTENT);
  }
}
