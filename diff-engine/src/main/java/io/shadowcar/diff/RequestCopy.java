package io.shadowcar.diff;

import java.util.List;
import java.util.Objects;

/**
 * The request that was sent to every instance. The engine uses {@code method} and {@code uri} for the endpoint key;
 * headers and body are carried so a store can show the request of a differing exchange.
 *
 * @param requestId the id shared by the primary request and its copies ({@code X-Request-Id})
 * @param uri the request target as sent (origin form {@code /path?query} or absolute form)
 * @param body the request body bytes, never null (empty when there was none)
 */
public record RequestCopy(String requestId, String method, String uri, List<HttpHeader> headers, byte[] body) {

  private static final byte[] EMPTY = new byte[0];

  public RequestCopy {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    headers = List.copyOf(headers);
    body = body == null ? EMPTY : body;
  }

  /** A bodiless request without headers, handy for replays and tests. */
  public static RequestCopy of(String requestId, String method, String uri) {
    return new RequestCopy(requestId, method, uri, List.of(), EMPTY);
  }
}
