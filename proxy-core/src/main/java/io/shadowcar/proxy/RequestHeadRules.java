package io.shadowcar.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.shadowcar.common.headers.HeaderTokens;
import io.vertx.core.net.impl.HostAndPortImpl;
import java.util.List;

/**
 * The rules an HTTP/1.x request head must pass before its body is framed and anything is forwarded (RFC 9112), so
 * that no hop before or after the proxy can read the same bytes as a different sequence of requests. Pure; applied by
 * {@link StrictRequestDecoder} to every decoded head.
 */
final class RequestHeadRules {

  private static final String CHUNKED = "chunked";

  private RequestHeadRules() {}

  /** The first rule {@code request} breaks, or {@code null} when it may be forwarded. */
  static Rejection check(HttpRequest request) {
    HttpHeaders headers = request.headers();
    HttpVersion version = request.protocolVersion();
    if (request.method() == HttpMethod.CONNECT) {
      return Rejection.CONNECT;
    }
    Rejection target = checkTarget(request.method(), request.uri());
    if (target != null) {
      return target;
    }
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        return Rejection.CONTENT_LENGTH_AND_TRANSFER_ENCODING;
      }
      Rejection coding = checkTransferEncoding(headers.getAll(HttpHeaderNames.TRANSFER_ENCODING), version);
      if (coding != null) {
        return coding;
      }
    }
    Rejection host = checkHost(headers.getAll(HttpHeaderNames.HOST), version);
    if (host != null) {
      return host;
    }
    return checkConnection(headers);
  }

  /** Origin form, absolute {@code http}/{@code https} form or {@code *} for OPTIONS, with UTF-8 raw bytes only. */
  static Rejection checkTarget(HttpMethod method, String uri) {
    if (uri.isEmpty()) {
      return Rejection.BAD_TARGET;
    }
    if (uri.charAt(0) != '/') {
      if (uri.equals("*")) {
        return method == HttpMethod.OPTIONS ? null : Rejection.BAD_TARGET;
      }
      String authority = Framing.absoluteAuthority(uri);
      if (authority == null || authority.indexOf('@') >= 0 || !HostAndPortImpl.isValidAuthority(authority)) {
        return Rejection.BAD_TARGET;
      }
    }
    return Framing.wireTarget(uri) == null ? Rejection.BAD_TARGET : null;
  }

  private static Rejection checkTransferEncoding(List<String> values, HttpVersion version) {
    if (version != HttpVersion.HTTP_1_1 || values.size() != 1) {
      return Rejection.BAD_TRANSFER_ENCODING;
    }
    String value = values.get(0);
    if (value.equals(CHUNKED)) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      if (!ChunkedBodyScanner.isTchar(value.charAt(i))) {
        return Rejection.BAD_TRANSFER_ENCODING; // a list, whitespace inside, or an empty value
      }
    }
    // a case variant of chunked is refused too: a hop before us may not read it as chunked
    return value.isEmpty() || value.equalsIgnoreCase(CHUNKED) ? Rejection.BAD_TRANSFER_ENCODING
        : Rejection.UNSUPPORTED_TRANSFER_ENCODING;
  }

  private static Rejection checkHost(List<String> hosts, HttpVersion version) {
    if (hosts.size() > 1) {
      return Rejection.DUPLICATE_HOST;
    }
    if (hosts.isEmpty()) {
      return version == HttpVersion.HTTP_1_1 ? Rejection.MISSING_HOST : null;
    }
    String host = hosts.get(0);
    // the same check as HostAndPort.parseAuthority(host, -1) != null, without making the object on every request
    return host.isEmpty() || !HostAndPortImpl.isValidAuthority(host) ? Rejection.BAD_HOST : null;
  }

  /** {@code Connection} may not make a hop drop the headers the next hop needs to frame and route the request. */
  private static Rejection checkConnection(HttpHeaders headers) {
    if (!headers.contains(HttpHeaderNames.CONNECTION)) {
      return null;
    }
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      if (HeaderTokens.anyElement(value, RequestHeadRules::isFramingHeader)) {
        return Rejection.CONNECTION_NAMES_FRAMING_HEADER;
      }
    }
    return null;
  }

  private static boolean isFramingHeader(String name) {
    return name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
        || name.equalsIgnoreCase("host");
  }
}
