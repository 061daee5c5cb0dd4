package io.shadowcar.launcher;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.launcher.admin.AdminServer;
import io.shadowcar.launcher.config.LiveConfig;
import io.shadowcar.launcher.config.SecretMasker;
import io.shadowcar.launcher.config.SidecarConfig;
import io.shadowcar.launcher.config.TargetsSpec;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.sink.ShadowExchangeListener;
import io.shadowcar.sink.ShadowSinks;
import io.shadowcar.sink.http.HttpShadowSink;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.tee.TeeRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sidecar: one Vert.x instance, one Prometheus registry shared by every module, and the modules built from
 * the configuration in force (proxy, tee router, HTTP shadow sink, admin server). Owns the start, the reaction to
 * config changes and the ordered stop; holds no business logic.
 *
 * <p>{@link #start()} and {@link #stop()} block their caller (the main thread, the shutdown hook): never call them on
 * an event loop.
 */
public final class Sidecar {

  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);
  /** Bound for each step that has no configured time of its own (closing a server, Vert.x). */
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

  private final LiveConfig config;
  private final PrometheusMeterRegistry registry;
  private final Vertx vertx;
  private final AdminServer admin;
  private final LiveTargets primaryTargets;
  private final LiveTargets shadowTargets;
  private final HttpShadowSink httpSink;
  private final TeeRouter router;
  private volatile ProxyServer proxy;
  private volatile int adminPort = -1;

  public Sidecar(LiveConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    SidecarConfig initial = config.current();
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.vertx = Vertx.vertx();
    this.primaryTargets = new LiveTargets(staticTargets(initial.primaryTargets()));
    this.shadowTargets = new LiveTargets(staticTargets(initial.shadowTargets()));
    this.httpSink = new HttpShadowSink(vertx, initial.httpSink(), shadowTargets, ShadowExchangeListener.NONE, registry);
    this.router = new TeeRouter(initial.tee(), new ShadowSinks(List.of(httpSink), new TeeMetrics(registry)), registry);
    this.admin = new AdminServer(vertx, initial.admin(), registry,
        () -> SecretMasker.mask(config.snapshot().values()), List.of());
  }

  /**
   * Starts everything, blocking until the ports are bound, and starts following config changes.
   *
   * @throws Exception what failed; call {@link #stop()} to release what did start
   */
  public void start() throws Exception {
    adminPort = await("admin server start", admin::start, STEP_TIMEOUT);
    SidecarConfig current = config.current();
    proxy = await("proxy start", () -> ProxyServer.start(vertx, current.proxy(), primaryTargets, router, registry),
        STEP_TIMEOUT);
    LOG.info("proxy listening on http://{}:{} -> {}", current.proxy().host(), proxy.actualPort(),
        primaryTargets.targets());
    config.addListener(this::apply);
  }

  /** Applies what can change at runtime; says which changes need a restart. */
  private void apply(SidecarConfig previous, SidecarConfig current) {
    router.update(current.tee());
    primaryTargets.set(staticTargets(current.primaryTargets()));
    shadowTargets.set(staticTargets(current.shadowTargets()));
    warnIfChanged("shadowcar.proxy.* / shadowcar.primary timeouts", previous.proxy(), current.proxy());
    warnIfChanged("shadowcar.admin.*", previous.admin(), current.admin());
    warnIfChanged("shadowcar.shadow limits (maxInflight, timeout, rate, pool, breaker)", previous.httpSink(),
        current.httpSink());
  }

  private static void warnIfChanged(String what, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      LOG.warn("{} changed: takes effect after a restart", what);
    }
  }

  private static TargetsSpec.Static staticTargets(TargetsSpec spec) {
    if (spec instanceof TargetsSpec.Static fixed) {
      return fixed;
    }
    throw new IllegalStateException("eureka: targets need Eureka discovery, which this build does not include yet");
  }

  /** The admin port actually bound. */
  public int adminPort() {
    return adminPort;
  }

  /** The traffic port actually bound, or -1 before start. */
  public int proxyPort() {
    return proxy == null ? -1 : proxy.actualPort();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Stops in the order that loses no request: stop accepting and drain the proxy (up to
   * {@code shadowcar.proxy.drainSeconds}), flush and close the shadow sinks, close the admin port, stop polling config,
   * close Vert.x. Each step runs even when an earlier one failed.
   *
   * @return true when every step completed in time
   */
  public boolean stop() {
    boolean clean = true;
    if (proxy != null) {
      Duration drain = Duration.ofMillis(config.current().proxy().drainTimeoutMs()).plus(STEP_TIMEOUT);
      LOG.info("stopping: draining in-flight requests (up to {} ms)", config.current().proxy().drainTimeoutMs());
      clean &= step("proxy drain", proxy::shutdown, drain);
    }
    clean &= step("shadow sink close", httpSink::close, STEP_TIMEOUT);
    clean &= step("admin server stop", admin::stop, STEP_TIMEOUT);
    config.close();
    clean &= step("vert.x close", vertx::close, STEP_TIMEOUT);
    LOG.info(clean ? "stopped" : "stopped, with errors");
    return clean;
  }

  private static boolean step(String name, Supplier<? extends Future<?>> action, Duration timeout) {
    try {
      action.get().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      LOG.error("{} failed", name, e);
      return false;
    }
  }

  private static <T> T await(String name, Supplier<? extends Future<T>> action, Duration timeout) throws Exception {
    LOG.debug("{}", name);
    return action.get().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
