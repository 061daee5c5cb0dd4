package io.shadowcar.proxy.tap;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;

/**
 * Observes one exchange. Every callback runs on the event loop of the caller's connection, in order; none may block.
 *
 * <p>The buffers and header maps passed in are the proxy's own: a tap that keeps them beyond the callback must copy
 * them (for buffers, {@link Buffer#copy()} or append into its own buffer). {@link #onComplete} is called exactly once,
 * whatever happened, and is the place to release anything the tap holds.
 */
public interface ExchangeTap {

  /** Observes nothing. */
  ExchangeTap NONE = new ExchangeTap() {};

  /** The primary target chosen for this exchange (not called when none is available). */
  default void onUpstream(URI target) {}

  /** A chunk of the request body, as it is forwarded to the primary. */
  default void onRequestChunk(Buffer chunk) {}

  /** The caller's request body ended normally. */
  default void onRequestEnd() {}

  /** The response head sent to the caller (the primary's, or the proxy's own error response). */
  default void onResponseHead(int statusCode, MultiMap headers) {}

  /** A chunk of the response body, as it is written to the caller. */
  default void onResponseChunk(Buffer chunk) {}

  /**
   * The trailer fields sent to the caller after the response body (HTTP/1.1 chunked trailers, HTTP/2 trailing
   * HEADERS; gRPC's {@code grpc-status} comes here). Called at most once, after the last chunk, only when the primary
   * sent trailers.
   */
  default void onResponseTrailers(MultiMap trailers) {}

  /**
   * The exchange is over: the response was fully written ({@code failure == null}) or the exchange failed (caller
   * went away, primary unreachable, timeout...). Called exactly once.
   */
  default void onComplete(Throwable failure) {}
}
