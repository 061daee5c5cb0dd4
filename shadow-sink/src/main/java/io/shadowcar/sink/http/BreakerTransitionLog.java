package io.shadowcar.sink.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One log line per state change of the HTTP sink's breaker, saying why and what it means for copies:
 * {@code shadow http breaker OPEN: 100 % of the last 20 copies failed (last: Connection refused); copies dropped as
 * circuit_open for 10 s}. Opening is a warning; probing and closing are information.
 *
 * <p>Not a metric: the breaker's state is on the admin page and each copy it drops is counted as {@code circuit_open}.
 */
final class BreakerTransitionLog implements Consumer<CircuitBreakerOnStateTransitionEvent> {

  private final CircuitBreaker breaker;
  private final HttpShadowSinkConfig config;
  private final Supplier<String> lastFailure;
  private final Consumer<String> warn;
  private final Consumer<String> info;

  /**
   * @param lastFailure the last failure of a copy in a few words, or {@code null} when none is known
   */
  BreakerTransitionLog(CircuitBreaker breaker, HttpShadowSinkConfig config, Supplier<String> lastFailure,
      Consumer<String> warn, Consumer<String> info) {
    this.breaker = breaker;
    this.config = config;
    this.lastFailure = lastFailure;
    this.warn = warn;
    this.info = info;
  }

  /** Listens to {@code breaker}'s transitions from now on. */
  static void attach(CircuitBreaker breaker, HttpShadowSinkConfig config, Supplier<String> lastFailure,
      Consumer<String> warn, Consumer<String> info) {
    breaker.getEventPublisher().onStateTransition(
        new BreakerTransitionLog(breaker, config, lastFailure, warn, info)::accept);
  }

  @Override
  public void accept(CircuitBreakerOnStateTransitionEvent event) {
    CircuitBreaker.State to = event.getStateTransition().getToState();
    switch (to) {
      case OPEN -> warn.accept("shadow http breaker OPEN: " + failures() + "; copies dropped as circuit_open for "
          + seconds(config.breakerOpenMs()));
      case HALF_OPEN -> info.accept("shadow http breaker HALF_OPEN: trying "
          + breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState()
          + " copies after " + seconds(config.breakerOpenMs()) + " open");
      case CLOSED -> info.accept("shadow http breaker CLOSED: the shadow answers again; copies flow");
      default -> info.accept("shadow http breaker " + to);
    }
  }

  private String failures() {
    CircuitBreaker.Metrics metrics = breaker.getMetrics();
    int calls = metrics.getNumberOfBufferedCalls();
    float rate = metrics.getFailureRate();
    String last = lastFailure.get();
    String share = rate < 0 ? metrics.getNumberOfFailedCalls() + " of the last " + calls + " copies failed"
        : String.format(Locale.ROOT, "%.0f %% of the last %d copies failed", rate, calls);
    return share + (last == null ? "" : " (last: " + last + ")");
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
