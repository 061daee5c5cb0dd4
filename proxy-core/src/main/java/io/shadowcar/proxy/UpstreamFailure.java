package io.shadowcar.proxy;

import io.shadowcar.proxy.upstream.Target;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names why a primary could not be reached before it answered: a failed TLS handshake (untrusted chain, a certificate
 * that does not name the host, no common protocol or suite) is {@link ProxyError#TLS}, anything else
 * {@link ProxyError#REFUSED}. A TLS failure is a configuration fault an operator must see, so it is also logged,
 * at most once per {@link #LOG_INTERVAL_SECONDS} per proxy (the counter has every one). Thread-safe: one per
 * {@link ProxyServer}, shared by its event loops.
 */
final class UpstreamFailure {

  static final long LOG_INTERVAL_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamFailure.class);
  private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

  ProxyError kind(Target target, Throwable cause) {
    if (tlsCause(cause) == null) {
      return ProxyError.REFUSED;
    }
    long now = System.nanoTime();
    long next = nextLogNanos.get();
    if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS))) {
      LOG.warn("TLS to primary {} failed, answered 502: {} (counted in shadowcar_primary_errors_total{kind=\"tls\"}; "
          + "logged at most every {} s)", target.uri(), describe(cause), LOG_INTERVAL_SECONDS);
    }
    return ProxyError.TLS;
  }

  /** Every distinct message down the cause chain: Vert.x says "failed to create SSL connection", the JDK why. */
  static String describe(Throwable cause) {
    StringBuilder text = new StringBuilder();
    String last = null;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.equals(last) && (last == null || !last.contains(message))) {
        text.append(text.length() == 0 ? "" : ": ").append(message);
        last = message;
      }
    }
    return text.length() == 0 ? cause.getClass().getSimpleName() : text.toString();
  }

  private static SSLException tlsCause(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }
}
