package io.shadowcar.health.eureka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.HealthListener;
import io.shadowcar.health.HealthSnapshot;
import io.shadowcar.health.InstanceStatus;
import io.shadowcar.health.StatusContributor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the managed service's Eureka registration in step with the agent's {@link HealthSnapshot}, through Eureka's
 * REST API on the non-blocking Vert.x WebClient (no client threads, nothing blocks an event loop, and the status
 * override calls are plain requests; eureka-client would bring its own thread pools and hides overrides).
 *
 * <p>Lifecycle, decided here:
 * <ul>
 *   <li>{@link #start()} registers at once as {@code STARTING}: the instance is visible to operators, and Eureka
 *       clients hand out only UP instances, so it takes no traffic before it is ready.</li>
 *   <li>Ready and not critical: {@code UP}; ready and critical: {@code DOWN}. A status change is a re-registration
 *       with a newer {@code lastDirtyTimestamp}, which is how Eureka's own client does it.</li>
 *   <li>Operator out-of-service (kill switch, {@code PUT /api/status}): a status override ({@code PUT .../status?value=
 *       OUT_OF_SERVICE}), removed with {@code DELETE .../status?value=<self status>}. OUT_OF_SERVICE is never the
 *       self-reported status, which would make Eureka ignore later UPs. After every fresh registration the override
 *       is set or cleared once, since Eureka keeps overrides across re-registrations and a previous run may have left
 *       one.</li>
 *   <li>Heartbeat ({@code PUT /apps/{app}/{id}}) every {@code heartbeatInterval}; a 404 re-registers at once.</li>
 *   <li>{@link #shutdown()}: register DOWN, wait {@code drain}, deregister, then complete the future.</li>
 * </ul>
 * A failed call (server down, timeout, 5xx) never propagates: the registrar retries with bounded exponential back-off,
 * fails over to the next service URL, and shows the error in {@link #status()} and the metrics.
 *
 * <p>All state lives on one Vert.x context; {@link #onHealthChange} may be called from any thread. Not for reading
 * the registry: use {@link EurekaVipDiscovery}.
 */
public final class EurekaRegistrar implements HealthListener, StatusContributor {

  private static final Logger LOG = LoggerFactory.getLogger(EurekaRegistrar.class);
  /** 404s in a row (without a good renewal between) after which a 404 backs off instead of re-registering at once. */
  private static final int MAX_IMMEDIATE_REREGISTERS = 3;

  private final Vertx vertx;
  private final EurekaConfig config;
  private final RetryBackoff backoff;
  private final Clock clock;
  private final AtomicBoolean registeredGauge = new AtomicBoolean();
  private final Map<CallResult, Counter> heartbeats = new EnumMap<>(CallResult.class);
  private final Map<CallResult, Counter> registrations = new EnumMap<>(CallResult.class);
  private final Promise<Void> stopped = Promise.promise();

  private volatile HealthSnapshot latest;
  private volatile Context context;
  private volatile Map<String, Object> statusView;

  private final EurekaRestClient client;

  // Confined to `context`.
  private RegistrationState state;
  private boolean registered;
  private InstanceStatus reported;
  /** Whether Eureka holds our OUT_OF_SERVICE override; null = unknown (after a fresh registration). */
  private Boolean overrideActive = Boolean.FALSE;
  private long lastDirtyTimestamp;
  private long lastContactAt;
  private long nextHeartbeatAt;
  private boolean busy;
  private long timerId = -1;
  private int failures;
  private int notFoundStreak;
  private boolean stopping;
  private boolean shutdownRunning;
  private Instant lastHeartbeatAt;
  private CallResult lastHeartbeatResult;
  private String lastError;
  private Instant lastErrorAt;

  public EurekaRegistrar(Vertx vertx, EurekaConfig config, MeterRegistry meters) {
    this(vertx, config, meters, Clock.systemUTC());
  }

  EurekaRegistrar(Vertx vertx, EurekaConfig config, MeterRegistry meters, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.backoff = new RetryBackoff(config.retryMin(), config.retryMax());
    this.latest = HealthSnapshot.starting(clock.instant());
    this.state = config.enabled() ? RegistrationState.NOT_STARTED : RegistrationState.DISABLED;
    // Created here, on the caller's thread, so the class loading of its first use stays off the event loop.
    this.client = config.enabled()
        ? new EurekaRestClient(vertx, config.serviceUrls(), config.requestTimeout(), "shadowcar-eureka")
        : null;
    if (config.enabled()) {
      InstanceDocument.of(config, InstanceStatus.STARTING, 0).toBuffer(); // loads the JSON codec off the event loop
      String app = config.eurekaAppName();
      for (CallResult result : CallResult.values()) {
        heartbeats.put(result, Counter.builder(EurekaMetrics.HEARTBEATS).description("Eureka lease renewals")
            .tag(EurekaMetrics.TAG_APP, app).tag(EurekaMetrics.TAG_RESULT, result.label()).register(meters));
        registrations.put(result, Counter.builder(EurekaMetrics.REGISTRATIONS).description("Eureka registrations")
            .tag(EurekaMetrics.TAG_APP, app).tag(EurekaMetrics.TAG_RESULT, result.label()).register(meters));
      }
      Gauge.builder(EurekaMetrics.REGISTERED, registeredGauge, b -> b.get() ? 1 : 0)
          .description("1 while Eureka holds this instance's lease").tag(EurekaMetrics.TAG_APP, app)
          .strongReference(true).register(meters);
    }
    publish();
  }

  /**
   * Starts registering (as STARTING until a ready snapshot arrives). Completes once the first attempt is under way,
   * not when Eureka has answered: a missing server never delays the sidecar. Does nothing when disabled.
   */
  public Future<Void> start() {
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    ctx.runOnContext(v -> {
      if (state != RegistrationState.NOT_STARTED) {
        started.fail(new IllegalStateException("start: " + state + " (expected: NOT_STARTED)"));
        return;
      }
      state = RegistrationState.REGISTERING;
      context = ctx;
      step();
      started.complete();
    });
    return started.future();
  }

  @Override
  public void onHealthChange(HealthSnapshot previous, HealthSnapshot current) {
    if (current == null) {
      return;
    }
    latest = current;
    Context ctx = context;
    if (ctx != null) {
      try {
        ctx.runOnContext(v -> onDesiredChange());
      } catch (RuntimeException closing) {
        LOG.debug("Eureka registrar: health change after Vert.x closed", closing); // a listener never throws
      }
    }
  }

  /**
   * Registers DOWN, waits the configured drain, deregisters, and completes (never fails). Calling it again returns
   * the same future. When Eureka is unreachable the steps fail fast (request timeout) and the future still completes.
   */
  public Future<Void> shutdown() {
    Context ctx = context;
    if (ctx == null) {
      if (client != null && state != RegistrationState.STOPPED) {
        state = RegistrationState.STOPPED;
        client.close();
        publish();
      }
      stopped.tryComplete();
      return stopped.future();
    }
    ctx.runOnContext(v -> {
      if (stopping) {
        return;
      }
      stopping = true;
      state = RegistrationState.STOPPING;
      cancelTimer();
      publish();
      if (!busy) {
        runShutdown();
      }
    });
    return stopped.future();
  }

  /** Whether Eureka holds a live lease of ours, as far as this registrar knows. */
  public boolean isRegistered() {
    return registeredGauge.get();
  }

  @Override
  public String name() {
    return "eureka";
  }

  @Override
  public Map<String, Object> status() {
    return statusView;
  }

  /** The status this instance reports about itself: never OUT_OF_SERVICE (that is an override). */
  static InstanceStatus selfReported(HealthSnapshot snapshot) {
    if (!snapshot.ready()) {
      return InstanceStatus.STARTING;
    }
    return snapshot.aggregate() == CheckStatus.CRITICAL ? InstanceStatus.DOWN : InstanceStatus.UP;
  }

  private void onDesiredChange() {
    publish();
    // While backing off, the scheduled retry picks the new state up: a flapping check must not defeat the back-off.
    if (!stopping && !busy && failures == 0) {
      step();
    }
  }

  /** Does the one next thing needed to match the wanted state, then again, until only the heartbeat is left. */
  private void step() {
    if (busy || stopping) {
      return;
    }
    cancelTimer();
    HealthSnapshot want = latest;
    InstanceStatus self = selfReported(want);
    long now = clock.millis();
    if (registered && now - lastContactAt >= config.leaseDuration().toMillis()) {
      registered = false; // no answer for a whole lease: the server has evicted us or forgotten us
      state = RegistrationState.REGISTERING;
    }
    Future<Void> action;
    if (!registered || reported != self) {
      action = register(self);
    } else if (!Boolean.valueOf(want.outOfService()).equals(overrideActive)) {
      action = want.outOfService() ? putOverride() : deleteOverride();
    } else if (now >= nextHeartbeatAt) {
      action = renew();
    } else {
      schedule(nextHeartbeatAt - now);
      publish();
      return;
    }
    busy = true;
    publish();
    action.onComplete(ar -> {
      busy = false;
      if (ar.succeeded()) {
        failures = 0;
      } else {
        failures++;
        lastError = String.valueOf(ar.cause().getMessage());
        lastErrorAt = clock.instant();
        if (failures == 1) {
          LOG.warn("Eureka call failed ({}); retrying with back-off", lastError);
        } else {
          LOG.debug("Eureka call failed again ({} in a row): {}", failures, lastError);
        }
      }
      publish();
      if (stopping) {
        runShutdown();
      } else if (ar.succeeded()) {
        step();
      } else {
        schedule(backoff.delayMillis(failures));
      }
    });
  }

  private Future<Void> register(InstanceStatus status) {
    boolean fresh = !registered;
    return sendRegistration(status).compose(ok -> {
      if (fresh) {
        overrideActive = null; // Eureka keeps overrides across registrations: set or clear ours once
        LOG.info("Registered {}/{} with Eureka at {} as {}", config.eurekaAppName(), config.instanceId(),
            client.currentServer(), status);
      } else {
        LOG.info("Eureka status of {}/{} is now {}", config.eurekaAppName(), config.instanceId(), status);
      }
      registered = true;
      state = RegistrationState.REGISTERED;
      nextHeartbeatAt = lastContactAt + config.heartbeatInterval().toMillis();
      return Future.succeededFuture();
    });
  }

  /** POST the instance with a newer dirty timestamp; succeeds only on 204. */
  private Future<Void> sendRegistration(InstanceStatus status) {
    lastDirtyTimestamp = Math.max(clock.millis(), lastDirtyTimestamp + 1);
    return client.register(config.eurekaAppName(), InstanceDocument.of(config, status, lastDirtyTimestamp))
        .transform(ar -> {
          if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
            registrations.get(CallResult.SUCCESS).increment();
            reported = status;
            lastContactAt = clock.millis();
            return Future.<Void>succeededFuture();
          }
          registrations.get(CallResult.FAILURE).increment();
          return Future.failedFuture(ar.succeeded() ? unexpected("register", ar.result()) : ar.cause());
        });
  }

  private Future<Void> renew() {
    return client.renew(config.eurekaAppName(), config.instanceId(), reported.name(), lastDirtyTimestamp)
        .transform(ar -> {
          lastHeartbeatAt = clock.instant();
          CallResult result = ar.failed() ? CallResult.FAILURE
              : ar.result().statusCode() == 200 ? CallResult.SUCCESS
              : ar.result().statusCode() == 404 ? CallResult.NOT_FOUND : CallResult.FAILURE;
          lastHeartbeatResult = result;
          heartbeats.get(result).increment();
          if (result == CallResult.SUCCESS) {
            notFoundStreak = 0;
            lastContactAt = clock.millis();
            nextHeartbeatAt = lastContactAt + config.heartbeatInterval().toMillis();
            return Future.succeededFuture();
          }
          if (result == CallResult.NOT_FOUND) {
            return notFound("heartbeat");
          }
          return Future.failedFuture(ar.failed() ? ar.cause() : unexpected("heartbeat", ar.result()));
        });
  }

  private Future<Void> putOverride() {
    return client.putStatusOverride(config.eurekaAppName(), config.instanceId(), InstanceStatus.OUT_OF_SERVICE.name(),
        lastDirtyTimestamp).compose(response -> overrideAnswered("set OUT_OF_SERVICE override", response, true));
  }

  private Future<Void> deleteOverride() {
    return client.deleteStatusOverride(config.eurekaAppName(), config.instanceId(), reported.name(),
        lastDirtyTimestamp).compose(response -> overrideAnswered("remove status override", response, false));
  }

  private Future<Void> overrideAnswered(String what, HttpResponse<Buffer> response, boolean active) {
    if (response.statusCode() == 200) {
      if (!Boolean.valueOf(active).equals(overrideActive)) {
        LOG.info("Eureka: {} for {}/{}", what, config.eurekaAppName(), config.instanceId());
      }
      overrideActive = active;
      lastContactAt = clock.millis();
      return Future.succeededFuture();
    }
    if (response.statusCode() == 404) {
      return notFound(what);
    }
    return Future.failedFuture(unexpected(what, response));
  }

  /** Eureka lost us (restart, eviction, deleted by hand): re-register at once, unless that keeps happening. */
  private Future<Void> notFound(String what) {
    registered = false;
    state = RegistrationState.REGISTERING;
    notFoundStreak++;
    LOG.warn("Eureka does not know {}/{} ({}: 404); re-registering", config.eurekaAppName(), config.instanceId(), what);
    if (notFoundStreak > MAX_IMMEDIATE_REREGISTERS) {
      return Future.failedFuture(new EurekaRestClient.EurekaCallException(
          what + ": 404 " + notFoundStreak + " times in a row after registering"));
    }
    return Future.succeededFuture();
  }

  private void runShutdown() {
    if (shutdownRunning) {
      return;
    }
    shutdownRunning = true;
    if (!registered) {
      finish();
      return;
    }
    sendRegistration(InstanceStatus.DOWN)
        .transform(down -> {
          publish();
          if (down.failed() || config.drain().isZero()) {
            return Future.<Void>succeededFuture();
          }
          LOG.info("Eureka: {}/{} is DOWN; draining {} ms before deregistering", config.eurekaAppName(),
              config.instanceId(), config.drain().toMillis());
          Promise<Void> drained = Promise.promise();
          vertx.setTimer(config.drain().toMillis(), id -> drained.complete());
          return drained.future();
        })
        .compose(v -> client.cancel(config.eurekaAppName(), config.instanceId()))
        .onComplete(ar -> {
          if (ar.failed()) {
            lastError = "deregister: " + ar.cause().getMessage();
            lastErrorAt = clock.instant();
            LOG.warn("Eureka: could not deregister {}/{}: {}", config.eurekaAppName(), config.instanceId(),
                ar.cause().getMessage());
          } else {
            LOG.info("Eureka: deregistered {}/{}", config.eurekaAppName(), config.instanceId());
          }
          finish();
        });
  }

  private void finish() {
    registered = false;
    state = RegistrationState.STOPPED;
    publish();
    client.close();
    stopped.tryComplete();
  }

  private void schedule(long delayMillis) {
    cancelTimer();
    timerId = vertx.setTimer(Math.max(1, delayMillis), id -> {
      timerId = -1;
      step();
    });
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private static EurekaRestClient.EurekaCallException unexpected(String what, HttpResponse<Buffer> response) {
    return new EurekaRestClient.EurekaCallException(what + ": unexpected HTTP " + response.statusCode());
  }

  /** Rebuilds the cached status map; cheap, runs on every state change. */
  private void publish() {
    registeredGauge.set(registered);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("enabled", config.enabled());
    view.put("state", state.name());
    view.put("registered", registered);
    if (!config.enabled()) {
      statusView = Collections.unmodifiableMap(view);
      return;
    }
    EurekaRestClient c = client;
    view.put("server", c != null ? c.currentServer() : config.serviceUrls().get(0).toString());
    view.put("app", config.eurekaAppName());
    view.put("instanceId", config.instanceId());
    view.put("vipAddress", config.vipAddress());
    view.put("instance", config.instanceIp() + ":" + config.instancePort());
    view.put("wantedStatus", latest.instanceStatus().name());
    if (reported != null) {
      view.put("reportedStatus", reported.name());
    }
    view.put("outOfServiceOverride", overrideActive == null ? "unknown" : overrideActive);
    view.put("heartbeatIntervalMs", config.heartbeatInterval().toMillis());
    if (lastHeartbeatAt != null) {
      view.put("lastHeartbeatAt", lastHeartbeatAt.toString());
      view.put("lastHeartbeatResult", lastHeartbeatResult.label());
    }
    view.put("consecutiveFailures", failures);
    if (lastError != null) {
      view.put("lastError", lastError);
      view.put("lastErrorAt", lastErrorAt.toString());
    }
    statusView = Collections.unmodifiableMap(view);
  }
}
