package io.shadowcar.proxy.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.shadowcar.common.target.TargetUrl;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Round-robin choice among the current primary targets, skipping targets whose circuit breaker is open.
 *
 * <p>Breakers live exactly as long as their target is listed by the {@link TargetSource}: when the list changes the
 * breakers of targets that left are dropped, so the map is bounded by the number of live targets. The resolved list
 * is cached and rebuilt only when the source hands out a different list object, so a pick allocates nothing.
 *
 * <p>Thread-safe; shared by all event loops, each of which keeps its own place in the rotation ({@link Cursor}). Not
 * a health checker: a target is only judged by real traffic.
 */
public final class TargetBalancer {

  private static final Target[] NONE = new Target[0];

  private final TargetSource source;
  private final CircuitBreakerConfig breakerConfig;
  private volatile Snapshot snapshot = new Snapshot(null, NONE);

  private record Snapshot(List<TargetUrl> source, Target[] targets) {}

  /**
   * One event loop's place in the rotation. Each loop keeps its own, so a pick writes nothing another loop reads: one
   * counter for all loops moved its cache line between cores on every request. Every loop still cycles through all
   * targets, so they share the load as evenly. Not thread-safe: one per event loop.
   */
  public static final class Cursor {

    private int next;

    /** Starts at a random place, so that the loops do not all begin with the same target. */
    public Cursor() {
      this(ThreadLocalRandom.current().nextInt());
    }

    /** Starts at {@code first} (modulo the number of targets). */
    public Cursor(int first) {
      this.next = first;
    }
  }

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
   * The first target from {@code cursor}'s place on (which then moves one on) whose breaker grants a permission, or
   * {@code null} when there is none (see {@link #allOpen}). The caller owns the permission: it must report the call
   * on the breaker ({@code onSuccess}/{@code onError}) or give it back ({@code releasePermission}).
   */
  public Target pick(Cursor cursor) {
    Target[] targets = targets();
    int n = targets.length;
    if (n == 0) {
      return null;
    }
    int start = cursor.next++;
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
    List<TargetUrl> current = source.targets();
    Snapshot s = snapshot;
    if (s.source() == current) {
      return s.targets();
    }
    return rebuild(current);
  }

  private synchronized Target[] rebuild(List<TargetUrl> current) {
    Snapshot s = snapshot;
    if (s.source() == current) {
      return s.targets();
    }
    Map<TargetUrl, Target> known = new HashMap<>();
    for (Target t : s.targets()) {
      known.put(t.url(), t);
    }
    Target[] targets = new Target[current.size()];
    for (int i = 0; i < targets.length; i++) {
      TargetUrl url = current.get(i);
      Target t = known.get(url);
      targets[i] = t != null ? t : Target.of(url, CircuitBreaker.of(url.toString(), breakerConfig));
    }
    snapshot = new Snapshot(current, targets);
    return targets;
  }
}
