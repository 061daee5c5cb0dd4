package io.shadowcar.proxy;

import io.shadowcar.proxy.tap.ExchangeTap;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shields an exchange from its tap: a callback that throws is counted, the tap is detached from the exchange and
 * immediately completed with that exception (so it can release what it holds), and forwarding goes on untouched.
 * {@link ExchangeTap#onComplete} reaches the tap exactly once either way.
 */
final class GuardedTap {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedTap.class);
  /** The first failure is logged loudly with its stack; later ones only at debug (the counter tells how many). */
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private final ProxyMetrics metrics;
  private ExchangeTap tap;

  GuardedTap(ExchangeTap tap, ProxyMetrics metrics) {
    this.tap = tap;
    this.metrics = metrics;
  }

  void upstream(URI target) {
    try {
      tap.onUpstream(target);
    } catch (RuntimeException e) {
      detach(e);
    }
  }

  void requestChunk(Buffer chunk) {
    try {
      tap.onRequestChunk(chunk);
    } catch (RuntimeException e) {
      detach(e);
    }
  }

  void requestEnd() {
    try {
      tap.onRequestEnd();
    } catch (RuntimeException e) {
      detach(e);
    }
  }

  void responseHead(int status, MultiMap headers) {
    try {
      tap.onResponseHead(status, headers);
    } catch (RuntimeException e) {
      detach(e);
    }
  }

  void responseChunk(Buffer chunk) {
    try {
      tap.onResponseChunk(chunk);
    } catch (RuntimeException e) {
      detach(e);
    }
  }

  void responseTrailers(MultiMap trailers) {
    try {
      tap.onResponseTrailers(trailers);
    } catch (RuntimeException e) {
      detach(e);
    }
  }

  void complete(Throwable failure) {
    ExchangeTap current = tap;
    tap = ExchangeTap.NONE;
    if (current != ExchangeTap.NONE) {
      try {
        current.onComplete(failure);
      } catch (RuntimeException e) {
        counted(e);
      }
    }
  }

  private void detach(RuntimeException e) {
    counted(e);
    complete(e);
  }

  private void counted(RuntimeException e) {
    metrics.tapError();
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn("A tap failed and was detached from its exchange (further failures: debug log, metric {})",
          ProxyMetrics.TAP_ERRORS, e);
    } else {
      LOG.debug("Tap failed, detached from its exchange", e);
    }
  }
}
