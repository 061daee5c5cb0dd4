package io.shadowcar.sink.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.proxy.upstream.UpstreamClients;
import io.shadowcar.sink.DroppedCopiesLog;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.SinkAdmission;
import io.shadowcar.sink.SinkContext;
import io.shadowcar.sink.SinkMetrics;
import io.shadowcar.sink.SinkStatus;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.sink.observe.ShadowOutcome;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each copy to the HTTP shadow cluster (round robin over a {@link TargetSource}) with its own client and
 * connection pool, reads the shadow's answer and reports it to the {@link ExchangeObservers} (which pair it with the
 * primary's). The shadow's body is read only as far as a listener will see it: not at all without listeners.
 *
 * <p>With a secondary cluster (the primary's version, for a diff's noise), each admitted copy also goes to one
 * secondary instance, under the same permit and deadline; the exchange is reported once both answered or failed. The
 * secondary has its own counters ({@code shadowcar_shadow_secondary_copies_total}); it never feeds the breaker nor
 * the copy counters, which stay the candidate's.
 *
 * <p>Copies taken on an event loop are sent and answered on that loop, or on one of the sink's own loops when
 * {@code shadowcar.shadow.http.eventLoops} asks for them ({@link ShadowEventLoops}); to plain {@code http://} instances
 * they go over that loop's own connections ({@link ShadowLoopPools}). HTTPS and h2c instances, gRPC calls and copies
 * handed over off an event loop use the sink's Vert.x clients.
 *
 * <p>Admission is non-blocking and in this order, each refusal dropping and counting the copy: no target
 * ({@code no_target}), {@code maxInflight} reached ({@code inflight_full}, by the shared {@link SinkAdmission}),
 * breaker open ({@code circuit_open}), rate cap reached ({@code rate_limited}). An admitted copy ends in {@code sent}
 * (the candidate answered, any status) or {@code failed} (refused, reset, deadline), or {@code inflight_full} when the
 * pool's wait queue ({@code 2 × maxPoolSize} per instance) is full. The candidate's 5xx answers and
 * failures feed the breaker. At the request head ({@link #refusal}) a copy is refused while the breaker is open or its
 * half-open probes are out, and while every connection is busy and as many copies wait as those connections are
 * expected to serve within 0.1 s ({@link WaitingCopies}: one per connection before a fast shadow, fewer before a slow
 * one), so a slow, stuck or dead shadow costs a request one check instead of a capture.
 *
 * <p>Not for the primary: this client has no retries and gives up at the deadline, which a primary must not.
 */
public final class HttpShadowSink implements ShadowSink {

  private static final Logger LOG = LoggerFactory.getLogger(HttpShadowSink.class);

  private final Vertx vertx;
  private final HttpShadowSinkConfig config;
  private final TargetSource targets;
  private final TargetSource secondaryTargets;
  private final ExchangeObservers observers;
  private final int responseCaptureBytes;
  private final UpstreamClients clients;
  /** The event loops of the sink's own that send copies, or {@code null}: the proxy's loops send them. */
  private final ShadowEventLoops ownLoops;
  private final ShadowLoopPools loopPools;
  /** How many copies may wait for the candidate's busy connections, from how long its calls hold one. */
  private final WaitingCopies waitingCopies = new WaitingCopies();
  private final CircuitBreaker breaker;
  private final RateLimiter rateLimiter;
  private final SinkAdmission admission;
  private final Timer[] latencyByClass = new Timer[6];
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger nextSecondary = new AtomicInteger();
  private final Map<String, Counter> secondaryCopies;
  private final DroppedCopiesLog lossLog;
  private final long lossLogTimer;
  /** Set when a half-open breaker refused a copy: its probes are out, so the head refuses until the next transition. */
  private volatile boolean probesTaken;
  /** The candidate's last failure in a few words, for the log and the admin page. */
  private volatile String lastFailure;
  private volatile boolean closed;

  /** A sink without a secondary. */
  public HttpShadowSink(HttpShadowSinkConfig config, TargetSource targets, SinkContext context) {
    this(config, targets, TargetSource.of(List.of()), context);
  }

  /**
   * @param targets the candidate instances, read per copy
   * @param secondaryTargets the secondary instances, read per copy; an empty list sends to the candidate only
   * @param context Vert.x, metrics, the exchange observers and how much of an answer they get
   */
  public HttpShadowSink(HttpShadowSinkConfig config, TargetSource targets, TargetSource secondaryTargets,
      SinkContext context) {
    this.vertx = context.vertx();
    this.config = config;
    this.targets = targets;
    this.secondaryTargets = secondaryTargets;
    this.observers = context.observers();
    this.responseCaptureBytes = context.maxCapturedResponseBytes();
    this.lossLog = DroppedCopiesLog.of(() -> "shadow " + describe(currentTargets(targets)), Map.of(), LOG::warn);
    this.admission = new SinkAdmission(HttpSinkProvider.TAG, config.maxInflight(), 0, context.registry(), lossLog);
    TeeMetrics metrics = new TeeMetrics(context.registry());
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setPipelining(false)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeoutMs()));
    // The wait queue is what makes a full pool fail fast instead of queueing copies without bound. refusal() keeps the
    // copies in flight to twice the connections (each busy, as many waiting): a copy further back would mostly wait out
    // its deadline, and a slow shadow would then end a thousand copies at once (timers, failures, a breaker fed by the
    // queue rather than the shadow). The queue holds that many, since copies waiting for a new connection count in it.
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(config.maxPoolSize())
        .setMaxWaitQueueSize(2 * config.maxPoolSize());
    // One client per way of connecting (http, h2c, https), each with this pool; https trusted per config.tls().
    this.clients = UpstreamClients.create(vertx, options, pool, config.tls());
    // Copies to plain http:// instances use the connections of the loop that sends them instead: the sink's own loops
    // when configured, else the proxy's loop that took them.
    this.ownLoops = config.eventLoops() == 0 ? null : ShadowEventLoops.start(vertx, config.eventLoops(),
        context.loopWatchdog());
    this.loopPools = new ShadowLoopPools((VertxInternal) vertx, options, config.maxPoolSize(), context.eventLoops(),
        ownLoops, TimeUnit.SECONDS.toMillis(options.getKeepAliveTimeout()), config.timeoutMs(), this::liveTargets);
    this.breaker = CircuitBreaker.of("shadow-http", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(Math.max(config.breakerMinimumCalls(), 50))
        .minimumNumberOfCalls(config.breakerMinimumCalls())
        .failureRateThreshold(config.breakerFailureRatePercent())
        .waitDurationInOpenState(Duration.ofMillis(config.breakerOpenMs()))
        // refusal() reads the state without asking for a permission, so OPEN must turn HALF_OPEN on its own.
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .build());
    BreakerTransitionLog.attach(breaker, config, () -> lastFailure, LOG::warn, LOG::info);
    breaker.getEventPublisher().onStateTransition(transition -> probesTaken = false);
    this.lossLogTimer = vertx.setPeriodic(DroppedCopiesLog.INTERVAL.toMillis(), id -> lossLog.flush());
    this.rateLimiter = config.maxRatePerSecond() == 0 ? null : RateLimiter.of("shadow-http", RateLimiterConfig.custom()
        .limitForPeriod(config.maxRatePerSecond())
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(Duration.ZERO)
        .build());
    for (int i = 0; i < 5; i++) {
      latencyByClass[i] = metrics.shadowLatency(HttpSinkProvider.TAG, TeeMetrics.statusClass((i + 1) * 100));
    }
    latencyByClass[5] = metrics.shadowLatency(HttpSinkProvider.TAG, TeeMetrics.STATUS_CLASS_ERROR);
    this.secondaryCopies = new HashMap<>();
    for (String result : List.of(TeeMetrics.RESULT_SENT, TeeMetrics.RESULT_FAILED, DropReason.INFLIGHT_FULL.tag())) {
      secondaryCopies.put(result, Counter.builder(SinkMetrics.SECONDARY_COPIES)
          .description("Copies sent to the secondary (noise) instances, by result")
          .tag(TeeMetrics.TAG_SINK, HttpSinkProvider.TAG).tag(TeeMetrics.TAG_RESULT, result)
          .register(context.registry()));
    }
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
    List<TargetUrl> list = currentTargets(targets);
    if (list.isEmpty()) {
      admission.drop(event, DropReason.NO_TARGET);
      return;
    }
    SinkAdmission.Permit permit = admission.admit(event);
    if (permit == null) {
      return;
    }
    if (!breaker.tryAcquirePermission()) {
      if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
        probesTaken = true;
      }
      permit.drop(DropReason.CIRCUIT_OPEN);
      return;
    }
    if (rateLimiter != null && !rateLimiter.acquirePermission()) {
      breaker.releasePermission();
      permit.drop(DropReason.RATE_LIMITED);
      return;
    }
    TargetUrl target = list.get(Math.floorMod(next.getAndIncrement(), list.size()));
    TargetUrl secondary = secondaryTarget();
    ShadowLoopPools.Loop loop = loopPools.current();
    TeedCopy copy = new TeedCopy(this, permit, loop);
    if (loop == null) {
      copy.start(target, secondary);
      return;
    }
    try {
      loop.execute(() -> copy.start(target, secondary));
    } catch (RejectedExecutionException e) {
      // the sink's own loops stopped: it is closing
      breaker.releasePermission();
      permit.drop(DropReason.SINK_DOWN);
    }
  }

  /** The secondary instance for the next copy, or {@code null} when none is configured or available now. */
  private TargetUrl secondaryTarget() {
    List<TargetUrl> list = currentTargets(secondaryTargets);
    if (list.isEmpty()) {
      return null;
    }
    return list.get(Math.floorMod(nextSecondary.getAndIncrement(), list.size()));
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
    CircuitBreaker.State state = breaker.getState();
    if (state == CircuitBreaker.State.OPEN || (state == CircuitBreaker.State.HALF_OPEN && probesTaken)) {
      return DropReason.CIRCUIT_OPEN;
    }
    int instances = currentTargets(targets).size();
    if (instances == 0) {
      return DropReason.NO_TARGET;
    }
    // Every connection busy and as many copies waiting as they serve soon (WaitingCopies): a copy taken now would
    // wait long or be refused by the pool. A loop with its own connections has its share of them, and a copy is
    // refused when that share is full.
    ShadowLoopPools.Loop loop = loopPools.current();
    if (loop != null) {
      long connections = (long) loopPools.connectionsPerLoop() * instances;
      if (loop.copies() >= connections + waitingCopies.allowed(connections)) {
        return DropReason.INFLIGHT_FULL;
      }
    }
    long connections = (long) config.maxPoolSize() * instances;
    return admission.inflight() >= connections + waitingCopies.allowed(connections) ? DropReason.INFLIGHT_FULL : null;
  }

  @Override
  public void refused(DropReason reason) {
    lossLog.dropped(reason);
  }

  /** Every shadow instance now, candidate and secondary. */
  private Set<TargetUrl> liveTargets() {
    Set<TargetUrl> live = new HashSet<>(currentTargets(targets));
    live.addAll(currentTargets(secondaryTargets));
    return live;
  }

  /** The instances now; none when the source throws (it must not, but the caller never sees it if it does). */
  private static List<TargetUrl> currentTargets(TargetSource source) {
    try {
      return source.targets();
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
  public String description() {
    return "http sink: shadow targets " + describe(currentTargets(targets)) + ", secondary "
        + describe(currentTargets(secondaryTargets)) + "; maxInflight " + config.maxInflight() + ", maxRatePerSecond "
        + (config.maxRatePerSecond() == 0 ? "no cap" : config.maxRatePerSecond()) + ", timeout " + config.timeoutMs()
        + " ms, pool " + config.maxPoolSize()
        + (config.eventLoops() == 0 ? "" : " on " + config.eventLoops() + " event loop(s) of its own")
        + "; breaker opens at " + Math.round(config.breakerFailureRatePercent())
        + " % failed of at least " + config.breakerMinimumCalls() + " copies, for " + config.breakerOpenMs() + " ms";
  }

  @Override
  public SinkStatus status() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("secondary", describe(currentTargets(secondaryTargets)));
    details.put("inflight", admission.inflight() + " of " + config.maxInflight());
    long hold = waitingCopies.holdNanos();
    details.put("waiting", "up to " + waitingCopies.allowed(config.maxPoolSize()) + " copies per instance ("
        + (hold == 0 ? "no call has held a connection yet" : "a connection held "
            + TimeUnit.NANOSECONDS.toMillis(hold) + " ms on average") + ")");
    float rate = breaker.getMetrics().getFailureRate();
    details.put("failureRate", rate < 0 ? "n/a (fewer than " + config.breakerMinimumCalls() + " copies)"
        : Math.round(rate) + " % (opens at " + Math.round(config.breakerFailureRatePercent()) + " %)");
    String last = lastFailure;
    if (last != null) {
      details.put("lastFailure", last);
    }
    String state = closed ? "closed" : breaker.getState().name().toLowerCase(java.util.Locale.ROOT);
    return new SinkStatus(tag(), closed ? "down" : "breaker " + state, describe(currentTargets(targets)), details);
  }

  /** A target list for a log line: the first few, then how many more. */
  static String describe(List<TargetUrl> targets) {
    if (targets.isEmpty()) {
      return "(none)";
    }
    int shown = Math.min(3, targets.size());
    String first = targets.subList(0, shown).stream().map(TargetUrl::toString).collect(Collectors.joining(", "));
    return shown == targets.size() ? first : first + " and " + (targets.size() - shown) + " more";
  }

  @Override
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(lossLogTimer);
    return loopPools.close().transform(pools -> clients.close())
        .transform(done -> ownLoops == null ? Future.<Void>succeededFuture() : ownLoops.close())
        .andThen(done -> admission.close());
  }

  // ---- used by ShadowCall ----

  Vertx vertx() {
    return vertx;
  }

  UpstreamClients clients() {
    return clients;
  }

  ShadowLoopPools loopPools() {
    return loopPools;
  }

  HttpShadowSinkConfig config() {
    return config;
  }

  ExchangeObservers observers() {
    return observers;
  }

  /** How much of the shadow's answer body to read: what listeners get, nothing while none is attached. */
  int responseCaptureBytes() {
    return observers.any() ? responseCaptureBytes : 0;
  }

  /** The candidate's call ended: feeds the breaker and the latency timers at once. */
  void candidateEnded(ShadowCall.End end) {
    if (end.heldNanos() > 0) {
      waitingCopies.held(end.heldNanos());
    }
    if (end.poolFull()) {
      breaker.releasePermission();
      return;
    }
    ShadowOutcome outcome = end.outcome();
    if (!outcome.answered()) {
      lastFailure = DroppedCopiesLog.describe(outcome.failure());
      breaker.onError(end.nanos(), TimeUnit.NANOSECONDS, outcome.failure());
      latencyByClass[5].record(end.nanos(), TimeUnit.NANOSECONDS);
      return;
    }
    int status = outcome.response().statusCode();
    if (status >= 500) {
      lastFailure = "answered " + status;
      breaker.onError(end.nanos(), TimeUnit.NANOSECONDS, new ShadowStatusException(status));
    } else {
      breaker.onSuccess(end.nanos(), TimeUnit.NANOSECONDS);
    }
    latencyByClass[Math.max(0, Math.min(4, status / 100 - 1))].record(end.nanos(), TimeUnit.NANOSECONDS);
  }

  /** The secondary's call ended: counted apart, so it never touches the candidate's breaker or counters. */
  void secondaryEnded(ShadowCall.End end) {
    String result = end.poolFull() ? DropReason.INFLIGHT_FULL.tag()
        : end.outcome().answered() ? TeeMetrics.RESULT_SENT : TeeMetrics.RESULT_FAILED;
    secondaryCopies.get(result).increment();
  }

  /** The single exit of an admitted copy, once every call of it ended: the candidate's result is the copy's. */
  void endPermit(SinkAdmission.Permit permit, ShadowCall.End candidate) {
    if (candidate.poolFull()) {
      permit.drop(DropReason.INFLIGHT_FULL);
    } else if (candidate.outcome().answered()) {
      permit.sent();
    } else {
      permit.failed(candidate.outcome().failure());
    }
  }

  /** A 5xx answer, recorded as a breaker failure; never thrown. */
  static final class ShadowStatusException extends RuntimeException {
    ShadowStatusException(int status) {
      super("shadow answered " + status, null, false, false);
    }
  }
}
