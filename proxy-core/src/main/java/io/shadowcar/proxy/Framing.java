package io.shadowcar.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.shadowcar.common.headers.HeaderTokens;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

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

  /** Gives the request to the primary the caller's authority, and chunking when {@link #needsChunkedUpstream}. */
  static void prepareUpstream(HttpServerRequest request, HttpClientRequest upstream, long readAheadBytes) {
    HostAndPort authority = request.authority();
    if (authority != null) {
      upstream.authority(authority);
    }
    if (needsChunkedUpstream(request, readAheadBytes)) {
      upstream.setChunked(true);
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

  /**
   * The protocol {@code request} asks to switch to when it is an upgrade the proxy tunnels, else {@code null}: an
   * HTTP/1.1 {@code GET} without a body whose {@code Connection} lists {@code upgrade} and whose one {@code Upgrade}
   * header does not name {@code h2c} (that one is Vert.x's, when enabled, and otherwise ignored). Any other request
   * carrying {@code Upgrade} is forwarded as a plain request, {@code Upgrade} dropped as hop-by-hop.
   */
  static String tunnelProtocol(HttpServerRequest request) {
    MultiMap in = request.headers();
    if (request.version() != HttpVersion.HTTP_1_1 || request.method() != HttpMethod.GET
        || !in.contains(HttpHeaders.UPGRADE) || in.contains(HttpHeaders.TRANSFER_ENCODING)) {
      return null;
    }
    List<String> upgrades = in.getAll(HttpHeaders.UPGRADE);
    String length = in.get(HttpHeaders.CONTENT_LENGTH);
    if (upgrades.size() != 1 || (length != null && !length.equals("0"))) {
      return null;
    }
    String protocol = upgrades.get(0).trim();
    if (protocol.isEmpty() || hasToken(List.of(protocol), "h2c")
        || !hasToken(in.getAll(HttpHeaders.CONNECTION), "upgrade")) {
      return null;
    }
    return protocol;
  }

  /** True when an element of {@code values} names {@code token}, an {@code Upgrade} protocol's version aside. */
  private static boolean hasToken(List<String> values, String token) {
    for (String value : values) {
      if (HeaderTokens.anyElement(value, element -> withoutVersion(element).equalsIgnoreCase(token))) {
        return true;
      }
    }
    return false;
  }

  /** {@code h2c/1.0} gives {@code h2c}. */
  private static String withoutVersion(String protocol) {
    int slash = protocol.indexOf('/');
    return slash < 0 ? protocol : protocol.substring(0, slash).trim();
  }

  /**
   * Gives the caller's response the primary's head: status, end-to-end headers and, for an HTTP/1.x caller, the
   * reason phrase, and chunking when no {@code Content-Length} describes a body.
   */
  static void copyResponseHead(HttpServerRequest request, HttpClientResponse from, HttpServerResponse to) {
    copyResponseHead(request, from.statusCode(), from.statusMessage(), from.headers(), to);
  }

  /** As {@link #copyResponseHead(HttpServerRequest, HttpClientResponse, HttpServerResponse)}, from its parts. */
  static void copyResponseHead(HttpServerRequest request, int code, String message, MultiMap headers,
      HttpServerResponse to) {
    to.setStatusCode(code);
    MultiMap out = to.headers();
    ForwardedHeaders.copyResponse(headers, out);
    if (request.version() != HttpVersion.HTTP_2) {
      // Only an unusual phrase is set: Vert.x builds a new status object (and encodes it) for every custom one.
      if (message != null && !message.equals(HttpResponseStatus.valueOf(code).reasonPhrase())) {
        to.setStatusMessage(message);
      }
      if (mayHaveBody(request.method(), code) && !out.contains(HttpHeaders.CONTENT_LENGTH)) {
        to.setChunked(true);
      }
    }
  }

  /**
   * Prepares the proxy's own short text answer on {@code to} ({@code Connection: close} when {@code close}, the
   * request id when known) and returns its body, for the caller to write.
   */
  static Buffer ownAnswer(HttpServerResponse to, int status, String text, boolean close) {
    Buffer body = Buffer.buffer(text);
    to.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
    if (close) {
      to.putHeader(HttpHeaders.CONNECTION, "close");
    }
    return body;
  }

  /** False for a response that never has a body (1xx, 204, 304, or the answer to HEAD). */
  static boolean mayHaveBody(HttpMethod requestMethod, int status) {
    return status >= 200 && status != 204 && status != 304 && requestMethod != HttpMethod.HEAD;
  }
}
