package io.shadowcar.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The request to the primary as an {@link Exchange} drives it, whichever client carries it: {@link LeanPrimaryRequest}
 * for plain HTTP/1.1 primaries, {@link VertxPrimaryRequest} for the others (TLS, HTTP/2, upgrades). What the primary
 * answers reaches the exchange through the client's own callbacks. Event-loop confined.
 */
interface PrimaryRequest {

  /** Gives the head the caller's authority, and chunking when the body needs it; before anything is written. */
  void prepare(HttpServerRequest caller, long readAheadBytes);

  /** Writes a chunk of the body (the head first, once). */
  void write(Buffer chunk);

  /** True while the primary's connection takes no more of the body; the exchange's drain step follows. */
  boolean writeQueueFull();

  /** Sends the head alone: the primary's {@code 100 Continue} asks for the body (the exchange's continue step). */
  void sendHeadAwaitingContinue();

  /**
   * Ends the request, with {@code trailers} when the caller sent some ({@code null} for none): after a chunked body
   * over HTTP/1.1, as trailing headers over HTTP/2; dropped and counted where they have no place.
   */
  void end(MultiMap trailers, ProxyMetrics metrics);

  /** Abandons the request: its connection is closed, never reused half-used. */
  void reset();

  /**
   * Gives the connection back for the next request ({@code complete}: the request and the response went through
   * whole, and the primary did not ask to close), or closes it.
   */
  void release(boolean complete);
}
