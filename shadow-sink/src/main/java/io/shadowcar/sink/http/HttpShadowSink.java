package io.shadowcar.sink.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Timer;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.SinkAdmission;
import io.shadowcar.sink.SinkContext;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.tee.DropReason;
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
 * connection pool, reads the shadow's answer and reports it to the {@link ExchangeObservers} (which pair it with the
 * primary's). The shadow's body is read only as far as a listener will see it: not at all without listeners.
 *
 * <p>Admission is non-blocking and in this order, each refusal dropping and counting the copy: no target
 * ({@code no_target}), {@code maxInflight} reached ({@code inflight_full}, by the shared {@link SinkAdmission}),
 * breaker open ({@code circuit_open}), rate cap reached ({@code rate_limited}). An admitted copy ends in {@code sent} (the shadow answered, any status) or
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
  private final ExchangeObservers observers;
  private final int responseCaptureBytes;
  private final HttpClientAgent client;
  private final CircuitBreaker breaker;
  private final RateLimiter rateLimiter;
  private final SinkAdmission admission;
  private final Timer[] latencyByClass = new Timer[6];
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param targets the shadow instances, read per copy
   * @param context Vert.x, metrics, the exchange observers and how much of an answer they get
   */
  public HttpShadowSink(HttpShadowSinkConfig config, TargetSource targets, SinkContext context) {
    this.vertx = context.vertx();
    this.config = config;
    this.targets = targets;
    this.observers = context.observers();
    this.responseCaptureBytes = observers.any() ? context.maxCapturedResponseBytes() : 0;
    this.admission = new SinkAdmission(HttpSinkProvider.TAG, config.maxInflight(), 0, context.registry());
    TeeMetrics metrics = new TeeMetrics(context.registry());
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
    for (int i = 0; i < 5; i++) {
      latencyByClass[i] = metrics.shadowLatency(HttpSinkProvider.TAG, TeeMetrics.statusClass((i + 1) * 100));
    }
    latencyByClass[5] = metrics.shadowLatency(HttpSinkProvider.TAG, TeeMetrics.STATUS_CLASS_ERROR);
  }

  @Override
  public String tag() {
    return HttpSinkProvider.TAG;
  }

  @Override
  public void send(TeeEvent event) {
    if (closed) {
      admission.drop(event, DropReason.SINK_DOWN);
      return;
    }
    List<URI> list = currentTargets();
    if (list.isEmpty()) {
      admission.drop(event, DropReason.NO_TARGET);
      return;
    }
    SinkAdmission.Permit permit = admission.admit(event);
    if (permit == null) {
      return;
    }
    if (!breaker.tryAcquirePermission()) {
      permit.drop(DropReason.CIRCUIT_OPEN);
      return;
    }
    if (rateLimiter != null && !rateLimiter.acquirePermission()) {
      breaker.releasePermission();
      permit.drop(DropReason.RATE_LIMITED);
      return;
    }
    URI target = list.get(Math.floorMod(next.getAndIncrement(), list.size()));
    new ShadowCall(this, permit, target).start();
  }

  @Override
  public DropReason refusal() {
    if (closed) {
      return DropReason.SINK_DOWN;
    }
    DropReason full = admission.refusal();
    if (full != null) {
      return full;
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
    return admission.inflight();
  }

  /** The shadow's breaker state, for the admin API and tests. */
  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return client.close().andThen(done -> admission.close());
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

  ExchangeObservers observers() {
    return observers;
  }

  /** How much of the shadow's answer body to read: what listeners get, nothing without them. */
  int responseCaptureBytes() {
    return responseCaptureBytes;
  }

  /** The single exit of an admitted copy that the shadow answered. */
  void answered(SinkAdmission.Permit permit, int status, long nanos) {
    if (status >= 500) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, new ShadowStatusException(status));
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
    latencyByClass[Math.max(0, Math.min(4, status / 100 - 1))].record(nanos, TimeUnit.NANOSECONDS);
    permit.sent();
  }

  /** The single exit of an admitted copy the shadow never answered. */
  void failedCall(SinkAdmission.Permit permit, Throwable cause, long nanos) {
    breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
    latencyByClass[5].record(nanos, TimeUnit.NANOSECONDS);
    permit.failed();
  }

  /** The single exit of an admitted copy that never left because the pool's wait queue was full. */
  void poolFull(SinkAdmission.Permit permit) {
    breaker.releasePermission();
    permit.drop(DropReason.INFLIGHT_FULL);
  }

  /** A 5xx answer, recorded as a breaker failure; never thrown. */
  static final class ShadowStatusException extends RuntimeException {
    ShadowStatusException(int status) {
      super("shadow answered " + status, null, false, false);
    }
  }
}
