package io.shadowcar.proxy;

import io.shadowcar.proxy.upstream.Target;
import java.util.concurrent.TimeUnit;

/**
 * The circuit-breaker permission an {@link Exchange} holds on its primary target, from the pick to the outcome,
 * settled exactly once: a success, an error, or (for anything that is not the primary's doing: the caller went away
 * or was too slow, the proxy failed) given back uncounted. Event-loop confined.
 */
final class BreakerPermit {

  private Target target;
  private long grantedNanos;
  private boolean settled;

  /** The target whose breaker granted the permission. */
  void granted(Target granted) {
    target = granted;
    grantedNanos = System.nanoTime();
  }

  /** Gives the permission back without counting a call; nothing when none is held or it is settled. */
  void release() {
    if (!settled && target != null) {
      settled = true;
      target.breaker().releasePermission();
    }
  }

  void success() {
    if (!settled && target != null) {
      settled = true;
      target.breaker().onSuccess(System.nanoTime() - grantedNanos, TimeUnit.NANOSECONDS);
    }
  }

  void error(Throwable cause) {
    if (!settled && target != null) {
      settled = true;
      target.breaker().onError(System.nanoTime() - grantedNanos, TimeUnit.NANOSECONDS, cause);
    }
  }
}
