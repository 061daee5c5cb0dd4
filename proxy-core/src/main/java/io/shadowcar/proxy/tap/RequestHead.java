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
 */
public record RequestHead(
    String requestId, HttpMethod method, String uri, MultiMap headers, HttpVersion version, String remoteAddress) {

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
