package io.shadowcar.proxy.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Round-robin choice among the current primary targets, skipping targets whose circuit breaker is open.
 *
 * <p>Breakers live exactly as long as their target is listed by the {@link TargetSource}: when the list changes the
 * breakers of targets that left are dropped, so the map is bounded by the number of live targets. The resolved list
 * is cached and rebuilt only when the source hands out a different list object, so a pick allocates nothing.
 *
 * <p>Thread-safe; shared by all event loops. Not a health checker: a target is only judged by real traffic.
 */
public final class TargetBalancer {

  private static final Logger LOG = LoggerFactory.getLogger(TargetBalancer.class);
  private static final Target[] NONE = new Target[0];

  private final TargetSource source;
  private final CircuitBreakerConfig breakerConfig;
  private final AtomicInteger next = new AtomicInteger();
  private volatile Snapshot snapshot = new Snapshot(null, NONE);

  private record Snapshot(List<URI> source, Target[] targets) {}

  public TargetBalancer(TargetSource source, BreakerConfig config) {
    this.source = Objects.requireNonNull(source, "source");
    this.breakerConfig = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(config.slidingWindowCalls())
        .minimumNumberOfCalls(config.minimumCalls())
        .failureRateThreshold(config.failureRatePercent())
        .waitDurationInOpenState(Duration.ofMillis(config.openMs()))
        .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .build();
  }

  /**
   * The next target whose breaker grants a permission, or {@code null} when there is none (see {@link #whyNone}).
   * The caller owns the permission: it must report the call on the breaker ({@code onSuccess}/{@code onError}) or
   * give it back ({@code releasePermission}).
   */
  public Target pick() {
    Target[] targets = targets();
    int n = targets.length;
    if (n == 0) {
      return null;
    }
    int start = next.getAndIncrement();
    for (int i = 0; i < n; i++) {
      Target t = targets[Math.floorMod(start + i, n)];
      if (t.breaker().tryAcquirePermission()) {
        return t;
      }
    }
    return null;
  }

  /** After {@link #pick()} returned {@code null}: true when targets exist but all breakers are open. */
  public boolean allOpen() {
    return targets().length > 0;
  }

  /** The resolved targets in source order; rebuilt when the source's list changes. */
  public Target[] targets() {
    List<URI> current = source.targets();
    Snapshot s = snapshot;
    if (s.source() == current) {
      return s.targets();
    }
    return rebuild(current);
  }

  private synchronized Target[] rebuild(List<URI> current) {
    Snapshot s = snapshot;
    if (s.source() == current) {
      return s.targets();
    }
    Map<URI, Target> known = new HashMap<>();
    for (Target t : s.targets()) {
      known.put(t.uri(), t);
    }
    Target[] targets = new Target[current.size()];
    int n = 0;
    for (URI uri : current) {
      Target t = known.get(uri);
      if (t == null) {
        try {
          t = new Target(uri, Target.addressOf(uri), Target.prefixOf(uri),
              CircuitBreaker.of(uri.toString(), breakerConfig));
        } catch (IllegalArgumentException e) {
          LOG.warn("Skipping primary {}", e.getMessage());
          continue;
        }
      }
      targets[n++] = t;
    }
    Target[] resolved = n == targets.length ? targets : java.util.Arrays.copyOf(targets, n);
    snapshot = new Snapshot(current, resolved);
    return resolved;
  }
}
