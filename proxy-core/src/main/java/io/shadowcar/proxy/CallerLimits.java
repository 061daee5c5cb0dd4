package io.shadowcar.proxy;

import io.shadowcar.common.config.InvalidValueException;

/**
 * What callers may hold of the traffic port, so that slow or idle callers cannot take what others need: connections,
 * time to send a request head or the next bytes of a body, and memory for bodies read ahead of the primary.
 *
 * <p>Bodies up to {@code requestBufferBytes} are read completely before a primary connection (and a breaker
 * permission) is taken: a caller that uploads slowly then holds only its own connection and buffer, never a primary
 * connection that other requests wait for. Larger bodies, and bodies that arrive while all buffers together hold
 * {@code requestBufferTotalBytes}, are streamed as they come.
 *
 * @param maxConnections open caller connections at most; a connection over it is closed as soon as it is accepted
 * @param headerTimeoutMs a request head must be complete this long after its first byte (for a connection's first
 *     request, after the connection opened); over it 408 and the connection is closed. {@code 0} disables it
 * @param bodyIdleTimeoutMs while the proxy reads a request body, the caller may send nothing for at most this long;
 *     over it 408 (or a reset once the response has started) and the connection is closed. {@code 0} disables it
 * @param requestBufferBytes bodies of at most this many bytes are read completely before the primary is called;
 *     {@code 0} streams every body
 * @param requestBufferTotalBytes bytes all bodies being read ahead may hold together
 */
public record CallerLimits(
    int maxConnections,
    long headerTimeoutMs,
    long bodyIdleTimeoutMs,
    int requestBufferBytes,
    long requestBufferTotalBytes) {

  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int MAX_CONNECTIONS = 100_000;
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_BODY_IDLE_TIMEOUT_MS = 30_000;
  /** Longest header or body timeout: an hour. */
  public static final long MAX_TIMEOUT_MS = 3_600_000;
  public static final int DEFAULT_REQUEST_BUFFER_BYTES = 64 * 1024;
  public static final int MAX_REQUEST_BUFFER_BYTES = 16 * 1024 * 1024;
  public static final long DEFAULT_REQUEST_BUFFER_TOTAL_BYTES = 64L * 1024 * 1024;
  public static final long MAX_REQUEST_BUFFER_TOTAL_BYTES = 1L << 30;

  public CallerLimits {
    InvalidValueException.check(maxConnections > 0 && maxConnections <= MAX_CONNECTIONS, "maxConnections",
        maxConnections, "> 0 and <= " + MAX_CONNECTIONS);
    InvalidValueException.check(headerTimeoutMs >= 0 && headerTimeoutMs <= MAX_TIMEOUT_MS, "headerTimeoutMs",
        headerTimeoutMs, ">= 0 and <= " + MAX_TIMEOUT_MS);
    InvalidValueException.check(bodyIdleTimeoutMs >= 0 && bodyIdleTimeoutMs <= MAX_TIMEOUT_MS, "bodyIdleTimeoutMs",
        bodyIdleTimeoutMs, ">= 0 and <= " + MAX_TIMEOUT_MS);
    InvalidValueException.check(requestBufferBytes >= 0 && requestBufferBytes <= MAX_REQUEST_BUFFER_BYTES,
        "requestBufferBytes", requestBufferBytes, ">= 0 and <= " + MAX_REQUEST_BUFFER_BYTES);
    InvalidValueException.check(requestBufferTotalBytes >= requestBufferBytes
            && requestBufferTotalBytes <= MAX_REQUEST_BUFFER_TOTAL_BYTES, "requestBufferTotalBytes",
        requestBufferTotalBytes, ">= requestBufferBytes " + requestBufferBytes + " and <= "
            + MAX_REQUEST_BUFFER_TOTAL_BYTES);
  }

  /** 10 000 connections, 10 s for a head, 30 s of body silence, 64 KiB bodies read ahead within 64 MiB in all. */
  public static CallerLimits defaults() {
    return new CallerLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT_MS, DEFAULT_BODY_IDLE_TIMEOUT_MS,
        DEFAULT_REQUEST_BUFFER_BYTES, DEFAULT_REQUEST_BUFFER_TOTAL_BYTES);
  }
}
