package io.shadowcar.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
   * The authority of an absolute-form target ({@code http://a:1/p} gives {@code a:1}), {@code null} when {@code uri}
   * is not in absolute form with an {@code http} or {@code https} scheme. RFC 9112 §3.2.2: it replaces {@code Host}.
   */
  static String absoluteAuthority(String uri) {
    int start;
    if (uri.regionMatches(true, 0, "http://", 0, 7)) {
      start = 7;
    } else if (uri.regionMatches(true, 0, "https://", 0, 8)) {
      start = 8;
    } else {
      return null;
    }
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    return end == start ? null : uri.substring(start, end);
  }

  /**
   * The target as the client must be given it to put the caller's exact bytes on the wire. The server decodes the
   * request line as ISO-8859-1 (one char per byte) and the client encodes it as UTF-8, which would turn a raw
   * {@code ä} (C3 A4) into C3 83 C2 A4; decoding the bytes as UTF-8 here makes the round trip exact. {@code null}
   * when those bytes are not UTF-8 (such a target is refused).
   */
  static String wireTarget(String uri) {
    int i = 0;
    while (i < uri.length() && uri.charAt(i) < 0x80) {
      i++;
    }
    if (i == uri.length()) {
      return uri;
    }
    byte[] bytes = new byte[uri.length()];
    for (int j = 0; j < bytes.length; j++) {
      char c = uri.charAt(j);
      if (c > 0xff) {
        return uri; // already decoded text (not from an HTTP/1.x request line)
      }
      bytes[j] = (byte) c;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * True when the forwarded request body must be chunked: the caller sent one without a length (chunked HTTP/1.1, or
   * an HTTP/2 stream still open for a method that carries a body, or an HTTP/2 body read ahead that is not empty).
   *
   * @param readAheadBytes the size of a body read ahead completely, {@code -1} when the body is streamed
   */
  static boolean needsChunkedUpstream(HttpServerRequest request, long readAheadBytes) {
    MultiMap in = request.headers();
    if (in.contains(HttpHeaders.CONTENT_LENGTH)) {
      return false;
    }
    if (request.version() == HttpVersion.HTTP_2 && readAheadBytes >= 0) {
      return readAheadBytes > 0;
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
