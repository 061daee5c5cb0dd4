package io.shadowcar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.ProxyHttp2Access;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Sets up each traffic-port connection before it reads a byte: a place under the {@link ConnectionLimit} (none left:
 * the connection is closed at once), the {@link StrictRequestDecoder} in place of Vert.x's decoder, a check of the
 * first bytes for the HTTP/2 prior-knowledge preface (such a connection becomes Vert.x's HTTP/2 connection), the
 * {@link ConnectionDrain} that ends it gracefully on shutdown, the {@link CallerIdleTimeout} in place of Vert.x's idle
 * handler, and Vert.x's {@code Upgrade: h2c} handler only when {@code h2cUpgrade} is on. Vert.x's own cleartext HTTP/2
 * detection must be off ({@link ProxyVerticle#serverOptions}): with it on, Vert.x decodes the first request of each
 * connection with its lax decoder before any connection handler runs.
 *
 * <p>On a TLS port ALPN has chosen already: Vert.x builds an HTTP/2 connection for {@code h2} (its framing is left to
 * Vert.x; it gets only what the next paragraph says) and an HTTP/1.x one otherwise, which gets the strict decoder like
 * a cleartext one, but neither the preface check nor the h2c upgrade: HTTP/2 over TLS is negotiated by ALPN, and h2c is
 * cleartext only (RFC 9113, section 3.2).
 *
 * <p>Every HTTP/2 connection (prior knowledge, {@code Upgrade: h2c} or ALPN {@code h2}) gets the
 * {@link Http2RequestTrailers} listener that keeps its request trailers, and the {@link CallerIdleTimeout} too.
 */
final class StrictPipeline {

  static final String DECODER = "httpDecoder";
  /** Vert.x's name for the connection's idle-timeout handler. */
  private static final String IDLE = "idle";
  /** Vert.x's connection handler, the last of the pipeline. */
  private static final String VERTX_HANDLER = "handler";

  private final HttpServerOptions options;
  private final boolean h2cUpgrade;
  private final Supplier<ProxyHttp2Access> http2;
  private final ConnectionLimit connections;
  private final ListeningSocket listening;
  private final long headerTimeoutMs;
  private final ProxyMetrics metrics;

  StrictPipeline(HttpServerOptions options, boolean h2cUpgrade, Supplier<ProxyHttp2Access> http2,
      ConnectionLimit connections, ListeningSocket listening, long headerTimeoutMs, ProxyMetrics metrics) {
    this.options = options;
    this.h2cUpgrade = h2cUpgrade;
    this.http2 = http2;
    this.connections = connections;
    this.listening = listening;
    this.headerTimeoutMs = headerTimeoutMs;
    this.metrics = metrics;
  }

  /** The server's connection handler; runs on the connection's event loop before its first read. */
  void install(HttpConnection connection) {
    if (!(connection instanceof Http1xServerConnection http1)) {
      Http2RequestTrailers.install(connection, options.getMaxHeaderSize());
      if (connection instanceof ConnectionBase http2) {
        replaceIdleTimeout(http2.channelHandlerContext().pipeline()); // ALPN h2 (the others have it already)
      }
      return;
    }
    ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
    if (pipeline.get(DECODER) == null || pipeline.get(DECODER) instanceof StrictRequestDecoder) {
      return; // Vert.x's h2c upgrade handler sets up the HTTP/1.1 connection again for the first request
    }
    Channel channel = pipeline.channel();
    listening.learnFrom(channel);
    if (!connections.tryOpen()) {
      channel.close();
      return;
    }
    channel.closeFuture().addListener(closed -> connections.closed());
    pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options, headerTimeoutMs, metrics));
    replaceIdleTimeout(pipeline);
    pipeline.addBefore(VERTX_HANDLER, ConnectionDrain.NAME, new ConnectionDrain(ConnectionDrain.QUIET_NANOS));
    if (connection.isSsl()) {
      return;
    }
    pipeline.addBefore(DECODER, "h2cPreface", new PrefaceCheck(http2.get()));
    if (h2cUpgrade) {
      pipeline.addAfter("httpEncoder", "h2c", http2.get().h2cUpgradeHandler());
    }
  }

  /** Vert.x's idle handler on {@code pipeline}, if there is one, replaced by a {@link CallerIdleTimeout}. */
  private static void replaceIdleTimeout(ChannelPipeline pipeline) {
    if (pipeline.get(IDLE) instanceof IdleStateHandler idle && !(idle instanceof CallerIdleTimeout)
        && idle.getAllIdleTimeInMillis() > 0) {
      pipeline.replace(IDLE, IDLE, new CallerIdleTimeout(idle.getAllIdleTimeInMillis()));
    }
  }

  /**
   * Removes the port's idle timeout from a connection that became one side of a {@link Tunnel}, which keeps its own
   * (over both sides: one side may be quiet while the other streams).
   */
  static void handOverIdleTimeout(HttpConnection connection) {
    if (connection instanceof Http1xServerConnection http1) {
      ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
      if (pipeline.get(IDLE) != null) {
        pipeline.remove(IDLE);
      }
    }
  }

  /**
   * The trailer fields of {@code request}, taken (call once, at the request's end) from the decoder for a chunked
   * HTTP/1.1 body or from {@link Http2RequestTrailers} for HTTP/2; {@code null} when it has none.
   */
  static MultiMap takeTrailers(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return Http2RequestTrailers.take(request);
    }
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        && request.connection() instanceof Http1xServerConnection http1
        && http1.channelHandlerContext().pipeline().get(DECODER) instanceof StrictRequestDecoder decoder) {
      io.netty.handler.codec.http.HttpHeaders trailers = decoder.takeTrailers();
      if (!trailers.isEmpty()) {
        MultiMap copy = HttpHeaders.headers();
        trailers.forEach(field -> copy.add(field.getKey(), field.getValue()));
        return copy;
      }
    }
    return null;
  }

  /**
   * Why the chunked body of {@code request} was cut off, or why the trailers of an HTTP/2 request were refused; else
   * {@code null}.
   */
  static Rejection bodyRejection(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return Http2RequestTrailers.rejection(request);
    }
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        && request.connection() instanceof Http1xServerConnection http1
        && http1.channelHandlerContext().pipeline().get(DECODER) instanceof StrictRequestDecoder decoder) {
      return decoder.bodyRejection();
    }
    return null;
  }

  /** Buffers the first bytes until they match or leave the HTTP/2 preface, then steps aside. */
  private static final class PrefaceCheck extends ChannelInboundHandlerAdapter {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ProxyHttp2Access http2;
    private ByteBuf seen;

    PrefaceCheck(ProxyHttp2Access http2) {
      this.http2 = http2;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf bytes)) {
        ctx.fireChannelRead(msg);
        return;
      }
      ByteBuf all = bytes;
      if (seen != null) {
        all = ctx.alloc().buffer(seen.readableBytes() + bytes.readableBytes()).writeBytes(seen).writeBytes(bytes);
        seen.release();
        seen = null;
        bytes.release();
      }
      int n = Math.min(all.readableBytes(), PREFACE.length);
      for (int i = 0; i < n; i++) {
        if (all.getByte(all.readerIndex() + i) != PREFACE[i]) {
          handOver(ctx, all, false);
          return;
        }
      }
      if (n == PREFACE.length) {
        handOver(ctx, all, true);
      } else {
        seen = all;
      }
    }

    private void handOver(ChannelHandlerContext ctx, ByteBuf bytes, boolean preface) {
      if (preface) {
        ctx.pipeline().remove(ConnectionDrain.NAME); // Vert.x ends an HTTP/2 connection with GOAWAY itself
        http2.switchToHttp2(ctx.pipeline());
      }
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(bytes);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (seen != null) {
        seen.release();
        seen = null;
      }
    }
  }
}
