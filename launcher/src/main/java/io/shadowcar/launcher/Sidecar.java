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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sidecar: one Vert.x instance, one Prometheus registry shared by every module, and the servers built from
 * the configuration in force. Owns the start and the ordered stop; holds no business logic.
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
  private volatile int adminPort = -1;

  public Sidecar(LiveConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.vertx = Vertx.vertx();
    this.admin = new AdminServer(vertx, config.current().admin(), registry,
        () -> SecretMasker.mask(config.snapshot().values()), List.of());
  }

  /**
   * Starts everything, blocking until the ports are bound.
   *
   * @throws Exception what failed; call {@link #stop()} to release what did start
   */
  public void start() throws Exception {
    adminPort = await("admin server start", admin::start, STEP_TIMEOUT);
  }

  /** The admin port actually bound. */
  public int adminPort() {
    return adminPort;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Stops in the order that loses no request: mark the instance down, drain the proxy, flush the sinks, close the
   * admin port, stop polling config, close Vert.x. Each step runs even when an earlier one failed.
   *
   * @return true when every step completed in time
   */
  public boolean stop() {
    boolean clean = step("admin server stop", admin::stop, STEP_TIMEOUT);
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
