package io.shadowcar.proxy.tap;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;

/**
 * The head of a request as the proxy forwards it to the primary.
 *
 * @param requestId the {@code X-Request-Id} (the caller's, or one the proxy generated)
 * @param method the request method
 * @param uri the request target exactly as the caller sent it: path and query, byte-exact, never re-encoded
 * @param headers the forwarded headers; read-only by contract, copy before keeping
 * @param version the caller's protocol version
 * @param remoteAddress the caller's address, for logs
 * @param upgrade the protocol of an HTTP/1.1 {@code Upgrade} request the proxy will tunnel to the primary if it
 *     answers 101 (e.g. {@code websocket}; the {@code Upgrade} header itself is hop-by-hop and not in {@code headers}),
 *     or {@code null} for an ordinary request. A tunnel's bytes are never shown to a tap
 */
public record RequestHead(String requestId, HttpMethod method, String uri, MultiMap headers, HttpVersion version,
    String remoteAddress, String upgrade) {

  /** An ordinary request (no upgrade). */
  public RequestHead(
      String requestId, HttpMethod method, String uri, MultiMap headers, HttpVersion version, String remoteAddress) {
    this(requestId, method, uri, headers, version, remoteAddress, null);
  }

  /** The path part of {@link #uri}, without the query. */
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The raw query string without {@code ?}, or {@code null} when there is none. */
  public String query() {
    int q = uri.indexOf('?');
    return q < 0 ? null : uri.substring(q + 1);
  }
}
