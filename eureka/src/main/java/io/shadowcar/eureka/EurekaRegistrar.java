package io.shadowcar.eureka;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.eureka.rest.CallResult;
import io.shadowcar.eureka.rest.EurekaRestClient;
import io.shadowcar.eureka.rest.EurekaRestClient.EurekaCallException;
import io.shadowcar.eureka.rest.InstanceDocument;
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
import java.util.Map;
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
 * <p>All state lives on one Vert.x context ({@link RegistrationProgress}); {@link #onHealthChange} may be called from
 * any thread. Meters: {@link RegistrationMetrics}; what {@link #status()} shows: {@link RegistrationStatus}. Not for
 * reading the registry: use {@link EurekaVipDiscovery}.
 */
public final class EurekaRegistrar implements HealthListener, StatusContributor {

  private static final Logger LOG = LoggerFactory.getLogger(EurekaRegistrar.class);
  /** 404s in a row (without a good renewal between) after which a 404 backs off instead of re-registering at once. */
  private static final int MAX_IMMEDIATE_REREGISTERS = 3;

  private final Vertx vertx;
  private final EurekaConfig config;
  private final InstanceDocument instance;
  private final RetryBackoff backoff;
  private final Clock clock;
  private final RegistrationMetrics metrics;
  private final EurekaRestClient client;
  private final Promise<Void> stopped = Promise.promise();
  /** Confined to {@code context}, except before {@link #start()}. */
  private final RegistrationProgress progress;

  private volatile HealthSnapshot latest;
  private volatile Context context;
  private volatile RegistrationStatus statusView;

  public EurekaRegistrar(Vertx vertx, EurekaConfig config, MeterRegistry meters) {
    this(vertx, config, meters, Clock.systemUTC());
  }

  EurekaRegistrar(Vertx vertx, EurekaConfig config, MeterRegistry meters, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.backoff = RetryBackoff.cappedAtHeartbeat(config.retryMin(), config.retryMax(), config.heartbeatInterval());
    this.latest = HealthSnapshot.starting(clock.instant());
    this.progress = new RegistrationProgress(
        config.enabled() ? RegistrationState.NOT_STARTED : RegistrationState.DISABLED);
    this.instance = config.instanceDocument();
    // Created here, on the caller's thread, so the class loading of its first use stays off the event loop.
    this.client = config.enabled()
        ? new EurekaRestClient(vertx, config.serviceUrls(), config.requestTimeout(), "shadowcar-eureka")
        : null;
    if (config.enabled()) {
      instance.toJson(InstanceStatus.STARTING, 0).toBuffer(); // loads the JSON codec off the event loop
    }
    this.metrics = config.enabled() ? RegistrationMetrics.of(meters, config.eurekaAppName())
        : RegistrationMetrics.unpublished();
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
      if (progress.state != RegistrationState.NOT_STARTED) {
        started.fail(new IllegalStateException("start: " + progress.state + " (expected: NOT_STARTED)"));
        return;
      }
      progress.state = RegistrationState.REGISTERING;
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
      if (client != null && progress.state != RegistrationState.STOPPED) {
        progress.state = RegistrationState.STOPPED;
        client.close();
        publish();
      }
      stopped.tryComplete();
      return stopped.future();
    }
    ctx.runOnContext(v -> {
      if (progress.stopping) {
        return;
      }
      progress.stopping = true;
      progress.state = RegistrationState.STOPPING;
      cancelTimer();
      publish();
      if (!progress.busy) {
        runShutdown();
      }
    });
    return stopped.future();
  }

  /** Whether Eureka holds a live lease of ours, as far as this registrar knows. */
  public boolean isRegistered() {
    return metrics.isRegistered();
  }

  @Override
  public String name() {
    return "eureka";
  }

  @Override
  public Map<String, Object> status() {
    return statusView.toMap();
  }

  private void onDesiredChange() {
    publish();
    // While backing off, the scheduled retry picks the new state up: a flapping check must not defeat the back-off.
    if (!progress.stopping && !progress.busy && progress.failures == 0) {
      step();
    }
  }

  /** Does the one next thing needed to match the wanted state, then again, until only the heartbeat is left. */
  private void step() {
    RegistrationProgress p = progress;
    if (p.busy || p.stopping) {
      return;
    }
    cancelTimer();
    HealthSnapshot want = latest;
    InstanceStatus self = RegistrationProgress.selfReported(want);
    long now = clock.millis();
    Future<Void> action = switch (p.next(self, want.outOfService(), now, config.leaseDuration().toMillis())) {
      case REGISTER -> register(self);
      case SET_OVERRIDE -> override(true);
      case CLEAR_OVERRIDE -> override(false);
      case RENEW -> renew();
      case WAIT -> null;
    };
    if (action == null) {
      schedule(p.nextHeartbeatAt - now);
      publish();
      return;
    }
    p.busy = true;
    publish();
    action.onComplete(ar -> {
      p.busy = false;
      if (ar.succeeded()) {
        p.failures = 0;
      } else {
        p.failures++;
        p.failed(String.valueOf(ar.cause().getMessage()), clock.instant());
        if (p.failures == 1) {
          LOG.warn("Eureka call failed ({}); retrying with back-off", p.lastError);
        } else {
          LOG.debug("Eureka call failed again ({} in a row): {}", p.failures, p.lastError);
        }
      }
      publish();
      if (p.stopping) {
        runShutdown();
      } else if (ar.succeeded()) {
        step();
      } else {
        schedule(backoff.delayMillis(p.failures));
      }
    });
  }

  private Future<Void> register(InstanceStatus status) {
    boolean fresh = !progress.registered;
    return sendRegistration(status).compose(ok -> {
      if (fresh) {
        progress.overrideActive = null; // Eureka keeps overrides across registrations: set or clear ours once
        LOG.info("Registered {}/{} with Eureka at {} as {}", config.eurekaAppName(), config.instanceId(),
            client.currentServer(), status);
      } else {
        LOG.info("Eureka status of {}/{} is now {}", config.eurekaAppName(), config.instanceId(), status);
      }
      progress.registered = true;
      progress.state = RegistrationState.REGISTERED;
      progress.nextHeartbeatAt = progress.lastContactAt + config.heartbeatInterval().toMillis();
      return Future.succeededFuture();
    });
  }

  /** POST the instance with a newer dirty timestamp; succeeds only on 204. */
  private Future<Void> sendRegistration(InstanceStatus status) {
    progress.lastDirtyTimestamp = Math.max(clock.millis(), progress.lastDirtyTimestamp + 1);
    return client.register(config.eurekaAppName(), instance.toJson(status, progress.lastDirtyTimestamp))
        .transform(ar -> {
          if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
            metrics.registration(CallResult.SUCCESS);
            progress.reported = status;
            progress.lastContactAt = clock.millis();
            return Future.<Void>succeededFuture();
          }
          metrics.registration(CallResult.FAILURE);
          return Future.failedFuture(ar.succeeded() ? unexpected("register", ar.result()) : ar.cause());
        });
  }

  private Future<Void> renew() {
    return client.renew(config.eurekaAppName(), config.instanceId(), progress.reported.name(),
            progress.lastDirtyTimestamp)
        .transform(ar -> {
          progress.lastHeartbeatAt = clock.instant();
          CallResult result = ar.failed() ? CallResult.FAILURE
              : ar.result().statusCode() == 200 ? CallResult.SUCCESS
              : ar.result().statusCode() == 404 ? CallResult.NOT_FOUND : CallResult.FAILURE;
          progress.lastHeartbeatResult = result;
          metrics.heartbeat(result);
          if (result == CallResult.SUCCESS) {
            progress.notFoundStreak = 0;
            progress.lastContactAt = clock.millis();
            progress.nextHeartbeatAt = progress.lastContactAt + config.heartbeatInterval().toMillis();
            return Future.succeededFuture();
          }
          if (result == CallResult.NOT_FOUND) {
            return notFound("heartbeat");
          }
          return Future.failedFuture(ar.failed() ? ar.cause() : unexpected("heartbeat", ar.result()));
        });
  }

  /** Sets ({@code PUT}) or removes ({@code DELETE}, back to the self status) our OUT_OF_SERVICE override. */
  private Future<Void> override(boolean active) {
    Future<HttpResponse<Buffer>> call = active
        ? client.putStatusOverride(config.eurekaAppName(), config.instanceId(), InstanceStatus.OUT_OF_SERVICE.name(),
            progress.lastDirtyTimestamp)
        : client.deleteStatusOverride(config.eurekaAppName(), config.instanceId(), progress.reported.name(),
            progress.lastDirtyTimestamp);
    return call.compose(response -> overrideAnswered(
        active ? "set OUT_OF_SERVICE override" : "remove status override", response, active));
  }

  private Future<Void> overrideAnswered(String what, HttpResponse<Buffer> response, boolean active) {
    if (response.statusCode() == 200) {
      if (!Boolean.valueOf(active).equals(progress.overrideActive)) {
        LOG.info("Eureka: {} for {}/{}", what, config.eurekaAppName(), config.instanceId());
      }
      progress.overrideActive = active;
      progress.lastContactAt = clock.millis();
      return Future.succeededFuture();
    }
    if (response.statusCode() == 404) {
      return notFound(what);
    }
    return Future.failedFuture(unexpected(what, response));
  }

  /** Eureka lost us (restart, eviction, deleted by hand): re-register at once, unless that keeps happening. */
  private Future<Void> notFound(String what) {
    progress.lost();
    progress.notFoundStreak++;
    LOG.warn("Eureka does not know {}/{} ({}: 404); re-registering", config.eurekaAppName(), config.instanceId(), what);
    if (progress.notFoundStreak > MAX_IMMEDIATE_REREGISTERS) {
      return Future.failedFuture(new EurekaCallException(
          what + ": 404 " + progress.notFoundStreak + " times in a row after registering"));
    }
    return Future.succeededFuture();
  }

  private void runShutdown() {
    if (progress.shutdownRunning) {
      return;
    }
    progress.shutdownRunning = true;
    if (!progress.registered) {
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
            progress.failed("deregister: " + ar.cause().getMessage(), clock.instant());
            LOG.warn("Eureka: could not deregister {}/{}: {}", config.eurekaAppName(), config.instanceId(),
                ar.cause().getMessage());
          } else {
            LOG.info("Eureka: deregistered {}/{}", config.eurekaAppName(), config.instanceId());
          }
          finish();
        });
  }

  private void finish() {
    progress.registered = false;
    progress.state = RegistrationState.STOPPED;
    publish();
    client.close();
    stopped.tryComplete();
  }

  private void schedule(long delayMillis) {
    cancelTimer();
    progress.timerId = vertx.setTimer(Math.max(1, delayMillis), id -> {
      progress.timerId = -1;
      step();
    });
  }

  private void cancelTimer() {
    if (progress.timerId >= 0) {
      vertx.cancelTimer(progress.timerId);
      progress.timerId = -1;
    }
  }

  private static EurekaCallException unexpected(String what, HttpResponse<Buffer> response) {
    return new EurekaCallException(what + ": unexpected HTTP " + response.statusCode());
  }

  /** Takes a fresh status view and updates the gauge; cheap, runs on every state change. */
  private void publish() {
    metrics.registered(progress.registered);
    String server = client != null ? client.currentServer() : config.serviceUrls().get(0).toString();
    statusView = RegistrationStatus.of(config, progress, server, latest.instanceStatus());
  }
}
