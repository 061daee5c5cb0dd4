package io.shadowcar.proxy;

/**
 * Why the traffic port refused a request before (or while) forwarding it: the {@code reason} of
 * {@code shadowcar_proxy_rejected_total}. Every rejection answers {@link #status()} with {@code Connection: close}
 * and closes the connection, so nothing the caller sent after it is ever read as another request. None of them counts
 * against a primary's circuit breaker: they are the caller's doing.
 */
public enum Rejection {
  /** The request could not be parsed (request line, header syntax, bare CR/LF, bad Content-Length). */
  MALFORMED("malformed", 400, "malformed request"),
  /** The request line is longer than {@code maxInitialLineLength}. */
  REQUEST_LINE_TOO_LONG("request_line_too_long", 414, "request line too long"),
  /** The request head is larger than {@code maxHeaderBytes}. */
  HEADERS_TOO_LARGE("headers_too_large", 431, "request headers too large"),
  /** Both {@code Content-Length} and {@code Transfer-Encoding}: the two hops around us may disagree on the length. */
  CONTENT_LENGTH_AND_TRANSFER_ENCODING("content_length_and_transfer_encoding", 400,
      "content-length with transfer-encoding"),
  /** {@code Transfer-Encoding} is not exactly one {@code chunked} (a list, a repeat, a case variant, HTTP/1.0). */
  BAD_TRANSFER_ENCODING("bad_transfer_encoding", 400, "transfer-encoding must be exactly chunked"),
  /** {@code Transfer-Encoding} names a single coding other than {@code chunked}. */
  UNSUPPORTED_TRANSFER_ENCODING("unsupported_transfer_encoding", 501, "unsupported transfer-encoding"),
  /** A chunk line or chunk delimiter of a chunked body is invalid, or a chunk size does not fit in 31 bits. */
  BAD_CHUNK("bad_chunk", 400, "invalid chunked body"),
  /**
   * A request trailer field that must not be one ({@link TrailerRules}: framing, routing or connection-specific), or
   * an HTTP/2 trailer section larger than {@code maxHeaderBytes}. Once the response has started the exchange is reset
   * instead of answered.
   */
  BAD_TRAILER("bad_trailer", 400, "forbidden trailer field"),
  /** An HTTP/1.1 request without {@code Host}. */
  MISSING_HOST("missing_host", 400, "missing host"),
  /** More than one {@code Host} header. */
  DUPLICATE_HOST("duplicate_host", 400, "duplicate host"),
  /** A {@code Host} that is not a valid authority. */
  BAD_HOST("bad_host", 400, "invalid host"),
  /** A request target that is neither origin form, absolute {@code http(s)} form, nor {@code *} for OPTIONS; or
   * one whose raw bytes are not UTF-8. */
  BAD_TARGET("bad_target", 400, "invalid request target"),
  /** {@code CONNECT}: this is a reverse proxy, not a tunnel. */
  CONNECT("connect", 405, "method not allowed"),
  /** {@code Connection} names {@code Content-Length}, {@code Transfer-Encoding} or {@code Host}. */
  CONNECTION_NAMES_FRAMING_HEADER("connection_names_framing_header", 400,
      "connection must not name a framing header"),
  /**
   * The request head was not complete within {@code headerTimeoutMs} of its first byte (of the connection's opening,
   * for its first request). A connection that sent nothing at all is closed without an answer.
   */
  HEADER_TIMEOUT("header_timeout", 408, "request header timeout"),
  /**
   * The caller sent nothing of its request body for {@code bodyIdleTimeoutMs} while the proxy was reading it. Once
   * the response has started the exchange is reset instead of answered.
   */
  BODY_TIMEOUT("body_timeout", 408, "request body timeout");

  private final String tag;
  private final int status;
  private final String body;

  Rejection(String tag, int status, String body) {
    this.tag = tag;
    this.status = status;
    this.body = body + "\n";
  }

  /** The {@code reason} tag value. */
  public String tag() {
    return tag;
  }

  public int status() {
    return status;
  }

  /** The short text body of the answer. */
  public String body() {
    return body;
  }

  /** The {@code shadowcar_primary_errors_total} kind this rejection also counts as. */
  ProxyError error() {
    return switch (this) {
      case HEADERS_TOO_LARGE -> ProxyError.HEADERS_TOO_LARGE;
      case HEADER_TIMEOUT, BODY_TIMEOUT -> ProxyError.CALLER_TIMEOUT;
      default -> ProxyError.MALFORMED;
    };
  }
}
