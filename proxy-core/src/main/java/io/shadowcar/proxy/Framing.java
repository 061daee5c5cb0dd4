package io.shadowcar.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * How a message is framed for the next hop: the request target the primary sees, and when a body has to be sent
 * chunked because no {@code Content-Length} describes it. Header rules live in {@link ForwardedHeaders}.
 */
final class Framing {

  private Framing() {}

  /** The request target in origin form: an absolute-form URI loses its scheme and authority, nothing else. */
  static String originForm(String uri) {
    if (uri.isEmpty() || uri.charAt(0) == '/' || uri.equals("*")) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return uri;
    }
    for (int i = scheme + 3; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '/') {
        return uri.substring(i);
      }
      if (c == '?') {
        return "/" + uri.substring(i);
      }
    }
    return "/";
  }

  /**
   * True when the forwarded request body must be chunked: the caller sent one without a length (chunked HTTP/1.1, or
   * an HTTP/2 stream still open for a method that carries a body).
   */
  static boolean needsChunkedUpstream(HttpServerRequest request) {
    MultiMap in = request.headers();
    if (in.contains(HttpHeaders.CONTENT_LENGTH)) {
      return false;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      HttpMethod m = request.method();
      return !request.isEnded() && m != HttpMethod.GET && m != HttpMethod.HEAD && m != HttpMethod.OPTIONS;
    }
    return in.contains(HttpHeaders.TRANSFER_ENCODING);
  }

  /** False for a response that never has a body (1xx, 204, 304, or the answer to HEAD). */
  static boolean mayHaveBody(HttpMethod requestMethod, int status) {
    return status >= 200 && status != 204 && status != 304 && requestMethod != HttpMethod.HEAD;
  }
}
