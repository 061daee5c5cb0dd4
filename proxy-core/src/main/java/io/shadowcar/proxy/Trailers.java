package io.shadowcar.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
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
import io.vertx.core.http.impl.ProxyHttp2ClientTrailers;
import io.vertx.core.http.impl.UpstreamChannels;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trailer fields across the proxy. Response trailers are copied onto the caller's response. Vert.x's client request
 * cannot end with trailers, so request trailers take two other ways. To an HTTP/2 primary, {@link
 * ProxyHttp2ClientTrailers} ends the stream with a trailing HEADERS frame. To an HTTP/1.1 primary, this handler,
 * placed on the primary connection between the HTTP codec and Vert.x, puts them into the empty last chunk the
 * request's {@code end()} writes; a connection carries one request at a time (no pipelining), so the fields given are
 * always those of the request being ended. An HTTP/1.1 request sent with a length has no place for them: they are
 * dropped and counted.
 */
final class Trailers extends ChannelOutboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(Trailers.class);
  /** The HTTP/2 bridge turned a request down: said once, counted always. */
  private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();
  private static final String NAME = "shadowcarTrailers";

  private MultiMap pending;

  /**
   * Ends {@code upstream} with {@code trailers}: a trailing HEADERS frame over HTTP/2, the last chunk over HTTP/1.1.
   * When they have no place (an HTTP/1.1 body with a length) it ends without them and counts them dropped.
   */
  static void endRequest(HttpClientRequest upstream, MultiMap trailers, ProxyMetrics metrics) {
    if (upstream.version() == HttpVersion.HTTP_2) {
      if (ProxyHttp2ClientTrailers.end(upstream, trailers) == null) {
        if (UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
          LOG.warn("Request trailers to an HTTP/2 primary dropped: this Vert.x request cannot end with trailers ({})",
              upstream.getClass().getName());
        }
        metrics.requestTrailersDropped(false);
        upstream.end();
      }
      return;
    }
    Trailers writer = upstream.isChunked()
        ? PrimaryConnectionHandlers.afterCodec(UpstreamChannels.of(upstream), NAME, Trailers::new) : null;
    if (writer != null) {
      writer.pending = trailers;
      upstream.end();
      return;
    }
    metrics.requestTrailersDropped(true);
    upstream.end();
  }

  /**
   * Copies the primary's response trailers onto the caller's response where they can go (HTTP/2: trailing HEADERS;
   * HTTP/1.1: after a chunked body) and returns them as sent, or {@code null} when there are none.
   */
  static MultiMap copyResponse(HttpServerRequest request, HttpClientResponse from, HttpServerResponse to) {
    return copyResponse(request, from.trailers(), to);
  }

  /** As {@link #copyResponse(HttpServerRequest, HttpClientResponse, HttpServerResponse)}, from the trailers. */
  static MultiMap copyResponse(HttpServerRequest request, MultiMap trailers, HttpServerResponse to) {
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
