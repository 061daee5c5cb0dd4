package io.shadowcar.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;

/**
 * Request trailers of an HTTP/2 caller: the HEADERS frame that ends a request stream after its body. Vert.x's HTTP/2
 * server reads it only as the end of the request and drops its fields, so this frame listener, placed in front of
 * Vert.x's on each caller connection, keeps them on the Netty stream (checked by {@link TrailerRules} and bounded by
 * {@code maxHeaderBytes}: a section that fails is kept as its {@link Rejection} instead) before Vert.x ends the
 * request. The exchange takes them at the request's end, as it takes an HTTP/1.1 caller's from the decoder.
 *
 * <p>Netty refuses pseudo-header and connection-specific fields in trailers itself (the stream is reset with
 * {@code PROTOCOL_ERROR}, RFC 9113 §8.1.1), so those never get here. What is kept lives as long as the Netty stream:
 * at most one section per open stream, gone when the stream closes. Event-loop confined, like the connection.
 */
final class Http2RequestTrailers extends Http2FrameListenerDecorator {

  /** Kept on a stream whose first HEADERS was read: the next one is its trailers. */
  private static final Object HEAD_READ = new Object();

  private final Http2Connection connection;
  private final Http2Connection.PropertyKey key;
  private final int maxBytes;

  private Http2RequestTrailers(Http2FrameListener vertx, Http2Connection connection, int maxBytes) {
    super(vertx);
    this.connection = connection;
    this.key = connection.newKey();
    this.maxBytes = maxBytes;
  }

  /**
   * Puts the listener in front of Vert.x's on an HTTP/2 caller connection. Vert.x sets its own listener once the
   * caller's first SETTINGS frame is read, just before it hands the connection to the server's connection handlers
   * (where this runs), and never again; so nothing it reads afterwards passes by this.
   */
  static void install(HttpConnection connection, int maxBytes) {
    Http2ConnectionHandler handler = handler(connection);
    if (handler == null) {
      return;
    }
    Http2ConnectionDecoder decoder = handler.decoder();
    Http2FrameListener current = decoder.frameListener();
    if (!(current instanceof Http2RequestTrailers)) {
      decoder.frameListener(new Http2RequestTrailers(current, handler.connection(), maxBytes));
    }
  }

  /** The trailer fields {@code request} ended with (call once, at its end), or {@code null} when it had none. */
  static MultiMap take(HttpServerRequest request) {
    return take(request, MultiMap.class);
  }

  /** Why the trailers {@code request} ended with were refused, or {@code null}. */
  static Rejection rejection(HttpServerRequest request) {
    return take(request, Rejection.class);
  }

  private static <T> T take(HttpServerRequest request, Class<T> kind) {
    Http2ConnectionHandler handler = handler(request.connection());
    if (handler == null || !(handler.decoder().frameListener() instanceof Http2RequestTrailers listener)) {
      return null;
    }
    Http2Stream stream = listener.connection.stream(request.streamId());
    Object kept = stream == null ? null : stream.getProperty(listener.key);
    if (!kind.isInstance(kept)) {
      return null;
    }
    stream.removeProperty(listener.key);
    return kind.cast(kept);
  }

  private static Http2ConnectionHandler handler(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      ChannelHandler handler = base.channelHandlerContext().handler();
      if (handler instanceof Http2ConnectionHandler http2) {
        return http2;
      }
    }
    return null;
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
      short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
    keep(streamId, headers);
    super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
  }

  /**
   * Trailers are the second HEADERS of a request stream (Netty refuses a third). Counted here rather than read from
   * Netty's {@code Http2Stream.isTrailersReceived()}, which is also true for the first HEADERS of a stream that it
   * ends. Only this overload is needed: Netty's decoder calls no other, and Vert.x's listener refuses the other.
   */
  private void keep(int streamId, Http2Headers headers) {
    Http2Stream stream = connection.stream(streamId);
    if (stream == null) {
      return;
    }
    if (stream.getProperty(key) == null) {
      stream.setProperty(key, HEAD_READ);
    } else if (!headers.isEmpty()) {
      stream.setProperty(key, check(headers));
    }
  }

  /** The fields as a map, or the rejection they earn. */
  private Object check(Http2Headers headers) {
    MultiMap fields = HttpHeaders.headers();
    int bytes = 0;
    for (Map.Entry<CharSequence, CharSequence> field : headers) {
      CharSequence name = field.getKey();
      bytes += TrailerRules.size(name, field.getValue());
      if (TrailerRules.forbidden(name) || bytes > maxBytes) {
        return Rejection.BAD_TRAILER;
      }
      fields.add(name.toString(), field.getValue().toString());
    }
    return fields;
  }
}
