package io.shadowcar.launcher.fleet;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.dashboard.DashboardConfig;
import io.shadowcar.dashboard.DiffRecorder;
import io.shadowcar.dashboard.RecordingPolicy;
import io.shadowcar.dashboard.web.DiffRoutes;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.launcher.admin.AdminAccess;
import io.shadowcar.launcher.admin.AdminGuard;
import io.shadowcar.launcher.admin.AdminListener;
import io.shadowcar.launcher.config.ListenAddress;
import io.shadowcar.launcher.replay.ExchangeConsumer.TopicUnavailableException;
import io.shadowcar.proxy.tls.ServerTls;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's dashboard: a {@link DiffRecorder} with its store, fed by a {@link ResultConsumer}, behind the same
 * {@link DiffRoutes} a sidecar mounts at {@code /diff} (plus {@code /metrics}), on a small HTTP server of its own
 * (HTTPS with {@code shadowcar.admin.tls.*}, as a sidecar's admin port). Every result is counted (no sampling here:
 * workers compare everything they read).
 */
final class FleetDashboard implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FleetDashboard.class);

  private final DiffRecorder recorder;
  private final ResultConsumer results;
  private final AdminListener server;

  private FleetDashboard(DiffRecorder recorder, ResultConsumer results, AdminListener server) {
    this.recorder = recorder;
    this.results = results;
    this.server = server;
  }

  /**
   * Opens the store and starts serving; blocks until the server listens (fails when the port is taken).
   *
   * @param allowedHosts host names the page is served under besides loopback names and the machine's addresses
   *     ({@code shadowcar.admin.allowedHosts} in the {@code --config} file)
   * @param tls the port's certificate and key ({@code shadowcar.admin.tls.*}); empty = plain HTTP
   */
  static FleetDashboard start(DashboardOptions options, DiffConfig comparison, DashboardConfig dashboard,
      List<String> allowedHosts, Optional<ServerTls> tls, Vertx vertx) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DiffRecorder recorder = DiffRecorder.start(comparison, new RecordingPolicy(true, 100), dashboard,
        options.dataDir(), registry);
    try {
      Router router = Router.router(vertx);
      // no token here: changes (rules, clear) come from loopback callers only, and only named hosts are answered
      router.route().handler(new AdminGuard(AdminAccess.of(options.adminHost(), Optional.empty(), allowedHosts),
          registry));
      router.get("/metrics").handler(ctx -> ctx.response()
          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
      router.route("/*").subRouter(DiffRoutes.create(vertx, recorder, RoutingContext::next));
      AdminListener server = AdminListener.listen(vertx, new ListenAddress(options.adminHost(), options.adminPort()),
          tls, router, "admin", registry).await(30, TimeUnit.SECONDS);
      LOG.info("diff dashboard at {}://{}:{}/diff (store: {})", server.scheme(), options.adminHost(), server.port(),
          recorder.storeStatus().path());
      return new FleetDashboard(recorder, new ResultConsumer(options, recorder, registry), server);
    } catch (Exception e) {
      recorder.close();
      throw e;
    }
  }

  int port() {
    return server.port();
  }

  ResultConsumer results() {
    return results;
  }

  /** Consumes results until {@link #stop()}. */
  void run() throws TopicUnavailableException {
    results.run();
  }

  void stop() {
    results.stop();
  }

  /** Stops serving, writes what is pending and closes the store; call after {@link #run()} returned. */
  @Override
  public void close() {
    try {
      server.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the dashboard's server did not close: {}", e.getMessage());
    }
    recorder.close();
  }
}
