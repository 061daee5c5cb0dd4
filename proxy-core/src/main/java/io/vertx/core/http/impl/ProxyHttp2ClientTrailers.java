package io.vertx.core.http.impl;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.internal.PromiseInternal;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * shadowcar's bridge for ending an HTTP/2 client request with trailers (Vert.x 5.0), which Vert.x's
 * {@code HttpClientRequest} has no API for. It ends the request's stream the way Vert.x's own HTTP/2 server response
 * sends its trailers: {@code VertxHttp2Stream.writeHeaders} queues a HEADERS frame with END_STREAM behind the DATA
 * still waiting for the peer's flow-control window, and marks the stream's request side ended. The
 * {@code HttpClientRequest} is then marked ended as {@code end()} would (its private {@code ended} flag set, its end
 * promise completed), so a later {@code write} or {@code end} fails at once instead of writing after END_STREAM, and
 * a failure after the end goes to the response as usual.
 *
 * <p>It lives in Vert.x's package so that a Vert.x upgrade that changes these internals fails the build, or this
 * class's initialisation (the private members are looked up once, when it loads), not the traffic. Do not use it for
 * anything else.
 */
public final class ProxyHttp2ClientTrailers {

  private static final VarHandle ENDED;
  private static final VarHandle HEAD_WRITTEN;
  private static final MethodHandle TRY_COMPLETE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(HttpClientRequestImpl.class, MethodHandles.lookup());
      ENDED = lookup.findVarHandle(HttpClientRequestImpl.class, "ended", boolean.class);
      HEAD_WRITTEN = lookup.findVarHandle(HttpClientRequestImpl.class, "headWritten", boolean.class);
      TRY_COMPLETE = lookup.findVirtual(HttpClientRequestImpl.class, "tryComplete", MethodType.methodType(void.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ProxyHttp2ClientTrailers() {}

  /**
   * Ends {@code request}, an HTTP/2 request whose body was written with {@code write}, with a trailing HEADERS frame
   * of {@code trailers} (names lower-cased, as HTTP/2 requires). Returns {@code null}, having done nothing, when the
   * request is not one Vert.x streams over HTTP/2 or has ended already; otherwise the future of the frame's write.
   * Call it on the request's event loop.
   */
  public static Future<Void> end(HttpClientRequest request, MultiMap trailers) {
    if (!(request instanceof HttpClientRequestImpl impl) || !(impl.stream instanceof VertxHttp2Stream<?> stream)) {
      return null;
    }
    boolean headWritten;
    synchronized (impl) {
      if ((boolean) ENDED.get(impl)) {
        return null;
      }
      headWritten = (boolean) HEAD_WRITTEN.get(impl);
    }
    if (!headWritten) {
      impl.sendHead(); // a request without body: its HEADERS first, queued ahead of the trailers
    }
    Http2Headers fields = new TrailerFields();
    for (Map.Entry<String, String> field : trailers) {
      fields.add(HttpUtils.toLowerCase(field.getKey()), field.getValue());
    }
    PromiseInternal<Void> written = impl.context.promise();
    stream.writeHeaders(fields, false, true, true, written);
    synchronized (impl) {
      ENDED.set(impl, true);
    }
    try {
      TRY_COMPLETE.invokeExact(impl);
    } catch (Throwable e) {
      throw new IllegalStateException("Vert.x's HttpClientRequestImpl.tryComplete failed", e);
    }
    return written.future();
  }

  /**
   * A trailer section. The client stream reads the {@code :method} of every HEADERS frame it writes (to tell CONNECT
   * apart); a trailer section has none (pseudo-header fields are not allowed in it), so this answers an empty one,
   * which is never sent.
   */
  private static final class TrailerFields extends DefaultHttp2Headers {
    @Override
    public CharSequence method() {
      return "";
    }
  }
}
