package io.shadowcar.sink.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.ShadowExchangeListener;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.SinkKind;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each copy to the HTTP shadow cluster (round robin over a {@link TargetSource}) with its own client and
 * connection pool, reads the shadow's answer and hands it, with the primary's, to a {@link ShadowExchangeListener}.
 *
 * <p>Admission is non-blocking and in this order, each refusal dropping and counting the copy: no target
 * ({@code no_target}), {@code maxInflight} reached ({@code inflight_full}), breaker open ({@code circuit_open}), rate
 * cap reached ({@code rate_limited}). An admitted copy ends in {@code sent} (the shadow answered, any status) or
 * {@code failed} (refused, reset, deadline), or {@code inflight_full} when the pool's bounded wait queue is full.
 * 5xx answers and failures feed the breaker.
 *
 * <p>Not for the primary: this client has no retries and gives up at the deadline, which a primary must not.
 */
public final class HttpShadowSink implements ShadowSink {

  private static final Logger LOG = LoggerFactory.getLogger(HttpShadowSink.class);

  private final Vertx vertx;
  private final HttpShadowSinkConfig config;
  private final TargetSource targets;
  private final ShadowExchangeListener listener;
  private final HttpClientAgent client;
  private final CircuitBreaker breaker;
  private final RateLimiter rateLimiter;
  private final TeeMetrics metrics;
  private final Counter sent;
  private final Counter failed;
  private final Timer[] latencyByClass = new Timer[6];
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  public HttpShadowSink(Vertx vertx, HttpShadowSinkConfig config, TargetSource targets,
      ShadowExchangeListener listener, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.targets = targets;
    this.listener = listener;
    this.metrics = new TeeMetrics(registry);
    HttpClientOptions options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        .setPipelining(false)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeoutMs()));
    // The wait queue is what makes a full pool fail fast instead of queueing copies without bound.
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(config.maxPoolSize())
        .setMaxWaitQueueSize(config.maxInflight());
    this.client = vertx.httpClientBuilder().with(options).with(pool).build();
    this.breaker = CircuitBreaker.of("shadow-http", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(Math.max(config.breakerMinimumCalls(), 50))
        .minimumNumberOfCalls(config.breakerMinimumCalls())
        .failureRateThreshold(config.breakerFailureRatePercent())
        .waitDurationInOpenState(Duration.ofMillis(config.breakerOpenMs()))
        // refusal() reads the state without asking for a permission, so OPEN must turn HALF_OPEN on its own.
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .build());
    this.rateLimiter = config.maxRatePerSecond() == 0 ? null : RateLimiter.of("shadow-http", RateLimiterConfig.custom()
        .limitForPeriod(config.maxRatePerSecond())
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(Duration.ZERO)
        .build());
    this.sent = metrics.copies(SinkKind.HTTP, TeeMetrics.RESULT_SENT);
    this.failed = metrics.copies(SinkKind.HTTP, TeeMetrics.RESULT_FAILED);
    for (int i = 0; i < 5; i++) {
      latencyByClass[i] = metrics.shadowLatency(SinkKind.HTTP, TeeMetrics.statusClass((i + 1) * 100));
    }
    latencyByClass[5] = metrics.shadowLatency(SinkKind.HTTP, TeeMetrics.STATUS_CLASS_ERROR);
    Gauge.builder(TeeMetrics.SHADOW_INFLIGHT, inflight, AtomicInteger::get)
        .tag(TeeMetrics.TAG_SINK, SinkKind.HTTP.tag())
        .register(registry);
  }

  @Override
  public SinkKind kind() {
    return SinkKind.HTTP;
  }

  @Override
  public void send(TeeEvent event) {
    if (closed) {
      drop(event, DropReason.SINK_DOWN);
      return;
    }
    List<URI> list = currentTargets();
    if (list.isEmpty()) {
      drop(event, DropReason.NO_TARGET);
      return;
    }
    if (inflight.incrementAndGet() > config.maxInflight()) {
      inflight.decrementAndGet();
      drop(event, DropReason.INFLIGHT_FULL);
      return;
    }
    if (!breaker.tryAcquirePermission()) {
      inflight.decrementAndGet();
      drop(event, DropReason.CIRCUIT_OPEN);
      return;
    }
    if (rateLimiter != null && !rateLimiter.acquirePermission()) {
      breaker.releasePermission();
      inflight.decrementAndGet();
      drop(event, DropReason.RATE_LIMITED);
      return;
    }
    URI target = list.get(Math.floorMod(next.getAndIncrement(), list.size()));
    new ShadowCall(this, event, target).start();
  }

  @Override
  public DropReason refusal() {
    if (closed) {
      return DropReason.SINK_DOWN;
    }
    if (inflight.get() >= config.maxInflight()) {
      return DropReason.INFLIGHT_FULL;
    }
    if (breaker.getState() == CircuitBreaker.State.OPEN) {
      return DropReason.CIRCUIT_OPEN;
    }
    return currentTargets().isEmpty() ? DropReason.NO_TARGET : null;
  }

  /** The shadow instances now; none when the source throws (it must not, but the caller never sees it if it does). */
  private List<URI> currentTargets() {
    try {
      return targets.targets();
    } catch (RuntimeException e) {
      LOG.warn("shadow target source failed", e);
      return List.of();
    }
  }

  /** Copies in flight now (admitted and not yet finished). */
  public int inflight() {
    return inflight.get();
  }

  /** The shadow's breaker state, for the admin API and tests. */
  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return client.close();
  }

  // ---- used by ShadowCall ----

  Vertx vertx() {
    return vertx;
  }

  HttpClientAgent client() {
    return client;
  }

  HttpShadowSinkConfig config() {
    return config;
  }

  ShadowExchangeListener listener() {
    return listener;
  }

  /** The single exit of an admitted copy that the shadow answered. */
  void answered(TeeEvent event, int status, long nanos) {
    if (status >= 500) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, new ShadowStatusException(status));
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
    latencyByClass[Math.max(0, Math.min(4, status / 100 - 1))].record(nanos, TimeUnit.NANOSECONDS);
    sent.increment();
    leave(event);
  }

  /** The single exit of an admitted copy the shadow never answered. */
  void failedCall(TeeEvent event, Throwable cause, long nanos) {
    breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
    latencyByClass[5].record(nanos, TimeUnit.NANOSECONDS);
    failed.increment();
    leave(event);
  }

  /** The single exit of an admitted copy that never left because the pool's wait queue was full. */
  void poolFull(TeeEvent event) {
    breaker.releasePermission();
    metrics.count(DropReason.INFLIGHT_FULL);
    leave(event);
  }

  private void leave(TeeEvent event) {
    inflight.decrementAndGet();
    event.release();
  }

  private void drop(TeeEvent event, DropReason reason) {
    metrics.count(reason);
    event.release();
  }

  /** A 5xx answer, recorded as a breaker failure; never thrown. */
  static final class ShadowStatusException extends RuntimeException {
    ShadowStatusException(int status) {
      super("shadow answered " + status, null, false, false);
    }
  }
}
