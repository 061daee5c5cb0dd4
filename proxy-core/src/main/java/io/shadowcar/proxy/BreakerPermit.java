package io.shadowcar.proxy;

import io.shadowcar.proxy.upstream.Target;
import java.util.concurrent.TimeUnit;

/**
 * The call permission an exchange holds on its primary target's breaker, settled exactly once: as a success, an
 * error, or released unjudged (the caller went away, the proxy failed). {@link #NONE} before a target is picked.
 * Event-loop confined, like its exchange.
 */
final class BreakerPermit {

  static final BreakerPermit NONE = new BreakerPermit(null, 0);

  private final Target target;
  private final long startNanos;
  private boolean done;

  BreakerPermit(Target target, long startNanos) {
    this.target = target;
    this.startNanos = startNanos;
    this.done = target == null;
  }

  /** The target the permission is on; {@code null} for {@link #NONE}. */
  Target target() {
    return target;
  }

  void success() {
    if (!done) {
      done = true;
      target.breaker().onSuccess(EventClock.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
  }

  void error(Throwable cause) {
    if (!done) {
      done = true;
      target.breaker().onError(EventClock.nanoTime() - startNanos, TimeUnit.NANOSECONDS, cause);
    }
  }

  void release() {
    if (!done) {
      done = true;
      target.breaker().releasePermission();
    }
  }
}
