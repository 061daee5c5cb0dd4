package io.shadowcar.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.UpstreamChannels;
import java.util.Map;

/**
 * Trailer fields across the proxy. Response trailers are copied onto the caller's response. Request trailers go to
 * an HTTP/1.1 primary through this handler: Vert.x's client request cannot end with trailers, so, placed on the
 * primary connection between the HTTP codec and Vert.x, it puts them into the empty last chunk the request's
 * {@code end()} writes. A connection carries one request at a time (no pipelining), so the fields given are always
 * those of the request being ended.
 */
final class Trailers extends ChannelOutboundHandlerAdapter {

  private static final String NAME = "shadowcarTrailers";
  /** Vert.x's name for the HTTP/1.x client codec. */
  private static final String CODEC = "codec";

  private MultiMap pending;

  /**
   * Ends {@code upstream} with {@code trailers} when it goes out chunked over HTTP/1.1; otherwise (HTTP/2, or a body
   * with a length) ends it without them and returns {@code false}.
   */
  static boolean endRequest(HttpClientRequest upstream, MultiMap trailers) {
    ChannelHandlerContext channel;
    if (upstream.version() != HttpVersion.HTTP_2 && upstream.isChunked()
        && (channel = UpstreamChannels.of(upstream)) != null) {
      ChannelPipeline pipeline = channel.pipeline();
      Trailers writer = (Trailers) pipeline.get(NAME);
      if (writer == null && pipeline.get(CODEC) != null) {
        writer = new Trailers();
        pipeline.addAfter(CODEC, NAME, writer);
      }
      if (writer != null) {
        writer.pending = trailers;
        upstream.end();
        return true;
      }
    }
    upstream.end();
    return false;
  }

  /**
   * Copies the primary's response trailers onto the caller's response where they can go (HTTP/2: trailing HEADERS;
   * HTTP/1.1: after a chunked body) and returns them as sent, or {@code null} when there are none.
   */
  static MultiMap copyResponse(HttpServerRequest request, HttpClientResponse from, HttpServerResponse to) {
    MultiMap trailers = from.trailers();
    if (trailers.isEmpty()) {
      return null;
    }
    if (request.version() == HttpVersion.HTTP_2 || to.isChunked()) {
      ForwardedHeaders.copyResponse(trailers, to.trailers());
    }
    return to.trailers();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    MultiMap trailers = pending;
    if (trailers != null && msg instanceof LastHttpContent last && !last.content().isReadable()) {
      pending = null;
      LastHttpContent withTrailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      for (Map.Entry<String, String> field : trailers) {
        withTrailers.trailingHeaders().add(field.getKey(), field.getValue());
      }
      ReferenceCountUtil.release(last);
      ctx.write(withTrailers, promise);
      return;
    }
    ctx.write(msg, promise);
  }
}
