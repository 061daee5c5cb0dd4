package io.shadowcar.proxy;

/**
 * Why the proxy could not hand the primary's response to the caller. The tag value is the {@code kind} of
 * {@code shadowcar_primary_errors_total}; the status is what the caller gets when a response can still be sent
 * ({@code 0} when the exchange can only be aborted).
 */
public enum ProxyError {
  /** Connecting to the primary failed, or it closed the connection before answering. */
  REFUSED("refused", 502, "primary unreachable"),
  /**
   * The TLS handshake with an {@code https://} primary failed: untrusted chain, a certificate that does not name the
   * host, or no common version or suite.
   */
  TLS("tls", 502, "primary TLS handshake failed"),
  /** The primary's response head did not arrive within {@code primaryTimeoutMs}. */
  TIMEOUT("timeout", 504, "primary timed out"),
  /** The caller's request could not be parsed (or its request line was too long: 414). */
  MALFORMED("malformed", 400, "malformed request"),
  /** The caller's request head exceeded {@code maxHeaderBytes}. */
  HEADERS_TOO_LARGE("headers_too_large", 431, "request headers too large"),
  /**
   * The target source lists no primary (none configured, or Eureka lists no UP instance). 503, like an open circuit:
   * nothing upstream answered badly, the proxy has nowhere to send the request for now.
   */
  NO_TARGET("no_target", 503, "no primary target available (none configured or discovered)"),
  /**
   * Every primary target's breaker is open. 503 rather than 502: the proxy chose not to call, it is a temporary
   * refusal the caller may retry later, not a bad answer from upstream.
   */
  CIRCUIT_OPEN("circuit_open", 503, "all primary targets are failing (circuit open)"),
  /**
   * An {@code Upgrade} request arrived while {@code shadowcar.proxy.tunnels.max} tunnels were open. 503: a temporary
   * refusal by the proxy, the caller may retry later.
   */
  TUNNELS_FULL("tunnels_full", 503, "too many open tunnels"),
  /**
   * The caller was too slow: its request head or body did not arrive in time (see {@link Rejection#HEADER_TIMEOUT},
   * {@link Rejection#BODY_TIMEOUT}). Never a failure of the primary.
   */
  CALLER_TIMEOUT("caller_timeout", 408, "request timeout"),
  /** The caller went away (closed or reset) before the response was complete; the primary request is aborted. */
  CALLER_RESET("caller_reset", 0, null),
  /** The primary went away in the middle of its response; the caller's connection or stream is reset. */
  UPSTREAM_RESET("upstream_reset", 0, null),
  /** A bug or an unexpected state in the proxy itself; the exchange is ended cleanly (500, or a reset). */
  INTERNAL("internal", 500, "proxy error");

  private final String tag;
  private final int status;
  private final String body;

  ProxyError(String tag, int status, String body) {
    this.tag = tag;
    this.status = status;
    this.body = body == null ? null : body + "\n";
  }

  public String tag() {
    return tag;
  }

  /** The status answered to the caller, {@code 0} when no response can be sent. */
  public int status() {
    return status;
  }

  /** The short text body of the error response, or {@code null}. */
  public String body() {
    return body;
  }
}
