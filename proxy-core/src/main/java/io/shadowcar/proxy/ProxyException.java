package io.shadowcar.proxy;

import java.util.Objects;

/**
 * The failure handed to {@link io.shadowcar.proxy.tap.ExchangeTap#onComplete} when the proxy could not deliver the
 * primary's response. Carries no stack trace: it is an outcome, not a bug.
 */
public final class ProxyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ProxyError error;

  public ProxyException(ProxyError error, Throwable cause) {
    super(error.tag(), cause, false, false);
    this.error = Objects.requireNonNull(error, "error");
  }

  public ProxyError error() {
    return error;
  }
}
