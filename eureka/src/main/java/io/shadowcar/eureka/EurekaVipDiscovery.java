package io.shadowcar.eureka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.eureka.rest.CallResult;
import io.shadowcar.eureka.rest.EurekaRestClient;
import io.shadowcar.health.StatusContributor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UP instances of one Eureka VIP ({@code shadowcar.primary.targets=eureka:VIP}), refreshed in the background
 * every {@code discoveryRefresh} with {@code GET /eureka/vips/{vip}}. {@link #upInstances()} is a volatile read of an
 * immutable list, safe and cheap on the hot path; the launcher adapts it to proxy-core's target source with a method
 * reference ({@code discovery::upInstances}).
 *
 * <p>An instance that goes DOWN, OUT_OF_SERVICE or away is gone from the list after the next refresh. A failed
 * refresh (server down, bad answer) keeps the last good list and is counted. Before the first good refresh the list is
 * empty. Not for registering: see {@link EurekaRegistrar}.
 */
public final class EurekaVipDiscovery implements StatusContributor {

  /** Prefix of a targets value that names a VIP instead of URLs: {@code shadowcar.primary.targets=eureka:VIP}. */
  public static final String TARGETS_PREFIX = "eureka:";

  private static final Logger LOG = LoggerFactory.getLogger(EurekaVipDiscovery.class);
  private static final String WORKER_NAME = "shadowcar-eureka-discovery";

  private final Vertx vertx;
  private final EurekaConfig config;
  private final String vip;
  private final Clock clock;
  private final Counter refreshed;
  private final Counter failed;

  private volatile List<TargetUrl> up = List.of();
  private volatile Map<String, Object> statusView;

  private final EurekaRestClient client;
  private final WorkerExecutor parser;

  // Confined to the context captured in start().
  private boolean started;
  private long timerId = -1;
  private boolean stopped;
  private Instant lastRefreshAt;
  private String lastError;
  private Instant lastErrorAt;
  private int consecutiveFailures;
  private volatile Context context;

  public EurekaVipDiscovery(Vertx vertx, EurekaConfig config, String vipAddress, MeterRegistry meters) {
    this.vertx = vertx;
    this.config = config;
    this.vip = Objects.requireNonNull(vipAddress, "vipAddress").strip();
    if (!EurekaConfig.PATH_SAFE.matcher(vip).matches()) {
      throw new IllegalArgumentException("vipAddress: '" + vipAddress + "' (expected: letters, digits and ._:@-)");
    }
    this.clock = Clock.systemUTC();
    // Created on the caller's thread, so the class loading of their first use stays off the event loop.
    this.client = new EurekaRestClient(vertx, config.serviceUrls(), config.requestTimeout(), "shadowcar-eureka-vip");
    this.parser = vertx.createSharedWorkerExecutor(WORKER_NAME, 1);
    this.refreshed = Counter.builder(EurekaMetrics.DISCOVERY_REFRESHES).description("Eureka VIP fetches")
        .tag(EurekaMetrics.TAG_VIP, vip).tag(EurekaMetrics.TAG_RESULT, CallResult.SUCCESS.label()).register(meters);
    this.failed = Counter.builder(EurekaMetrics.DISCOVERY_REFRESHES).description("Eureka VIP fetches")
        .tag(EurekaMetrics.TAG_VIP, vip).tag(EurekaMetrics.TAG_RESULT, CallResult.FAILURE.label()).register(meters);
    Gauge.builder(EurekaMetrics.DISCOVERY_INSTANCES, this, d -> d.up.size())
        .description("UP instances of the VIP handed out").tag(EurekaMetrics.TAG_VIP, vip)
        .strongReference(true).register(meters);
    publish();
  }

  /**
   * Fetches the VIP once and then every {@code discoveryRefresh}. The future completes after the first fetch, whether
   * it found instances or failed (the launcher need not wait for it).
   */
  public Future<Void> start() {
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> first = Promise.promise();
    ctx.runOnContext(v -> {
      if (started || stopped) {
        first.fail(new IllegalStateException("start: already started or stopped"));
        return;
      }
      started = true;
      context = ctx;
      refresh().onComplete(ar -> first.complete());
    });
    return first.future();
  }

  /** The UP instances as of the last good refresh, as {@code http://ip:port}; never blocks, never null. */
  public List<TargetUrl> upInstances() {
    return up;
  }

  /** Stops refreshing; {@link #upInstances()} keeps answering the last list. */
  public Future<Void> stop() {
    Context ctx = context != null ? context : vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    ctx.runOnContext(v -> {
      if (!stopped) {
        stopped = true;
        if (timerId >= 0) {
          vertx.cancelTimer(timerId);
        }
        client.close();
        parser.close();
      }
      done.complete();
    });
    return done.future();
  }

  /**
   * The VIP named by a {@code shadowcar.primary.targets} / {@code shadowcar.shadow.targets} value such as
   * {@code eureka:orders}, or empty when the value is a list of URLs.
   *
   * @throws IllegalArgumentException for {@code eureka:} with no VIP
   */
  public static Optional<String> vipOf(String targets) {
    String value = targets == null ? "" : targets.strip();
    if (!value.regionMatches(true, 0, TARGETS_PREFIX, 0, TARGETS_PREFIX.length())) {
      return Optional.empty();
    }
    String vip = value.substring(TARGETS_PREFIX.length()).strip();
    if (!EurekaConfig.PATH_SAFE.matcher(vip).matches()) {
      throw new IllegalArgumentException("targets: '" + targets + "' (expected: eureka:VIP with letters, digits, ._:@-)");
    }
    return Optional.of(vip);
  }

  /** The VIP address followed. */
  public String vipAddress() {
    return vip;
  }

  @Override
  public String name() {
    return "eurekaVip:" + vip;
  }

  @Override
  public Map<String, Object> status() {
    return statusView;
  }

  private Future<Void> refresh() {
    // Parsing a big VIP answer is kept off the event loop.
    return client.vip(vip)
        .compose(response -> response.statusCode() == 200
            ? parser.executeBlocking(() -> VipInstances.up(response.bodyAsString()), false)
            : Future.failedFuture("GET /vips/" + vip + ": HTTP " + response.statusCode()))
        .transform(ar -> {
          if (stopped) {
            return Future.<Void>succeededFuture();
          }
          lastRefreshAt = clock.instant();
          if (ar.succeeded()) {
            List<TargetUrl> fresh = ar.result();
            if (!fresh.equals(up)) {
              LOG.info("Eureka VIP {}: {} UP instance(s) {}", vip, fresh.size(), fresh);
            }
            up = fresh;
            consecutiveFailures = 0;
            refreshed.increment();
          } else {
            consecutiveFailures++;
            lastError = String.valueOf(ar.cause().getMessage());
            lastErrorAt = lastRefreshAt;
            failed.increment();
            if (consecutiveFailures == 1) {
              LOG.warn("Eureka VIP {}: refresh failed ({}); keeping {} instance(s)", vip, lastError, up.size());
            }
          }
          publish();
          timerId = vertx.setTimer(config.discoveryRefresh().toMillis(), id -> {
            timerId = -1;
            refresh();
          });
          return Future.<Void>succeededFuture();
        });
  }

  private void publish() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("vipAddress", vip);
    view.put("server", client.currentServer());
    view.put("upInstances", up.stream().map(TargetUrl::toString).toList());
    view.put("refreshIntervalMs", config.discoveryRefresh().toMillis());
    if (lastRefreshAt != null) {
      view.put("lastRefreshAt", lastRefreshAt.toString());
    }
    view.put("consecutiveFailures", consecutiveFailures);
    if (lastError != null) {
      view.put("lastError", lastError);
      view.put("lastErrorAt", lastErrorAt.toString());
    }
    statusView = Collections.unmodifiableMap(view);
  }
}
