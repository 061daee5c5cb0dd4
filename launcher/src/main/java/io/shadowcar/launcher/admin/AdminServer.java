package io.shadowcar.launcher.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.launcher.config.LauncherSettings;
import io.shadowcar.launcher.config.ListenAddress;
import io.shadowcar.proxy.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port: {@code GET /metrics} (Prometheus text), the launcher's JSON documents ({@code GET /api/config},
 * the effective config with secrets masked; {@code GET /api/tee}, what the tee is doing) and whatever the modules mount (the health agent's {@code /healthcheck}, {@code /ready}, {@code /api/status},
 * {@code /api/checks} and page).
 *
 * <p>Every request passes the guard first ({@link AdminGuard}: the host it names, cross-site calls, the token for
 * mutations), so a route mounted here, now or later, cannot be reached around it. Anything slower than a map lookup
 * (the scrape, building JSON) runs on a small named worker pool, never on an event loop the proxy may share. Not for
 * traffic: bind it to loopback or a management network; load balancers read the health port ({@link HealthServer}).
 *
 * <p>With a {@link ServerTls} the port speaks HTTPS and serves a rotated certificate to new connections
 * ({@link AdminListener}). Bound off loopback without it, the admin token and every answer cross the network in
 * clear text: that is logged as a WARN at start.
 */
public final class AdminServer {

  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final ListenAddress address;
  private final PrometheusMeterRegistry registry;
  private final Map<String, Supplier<JsonObject>> documents;
  private final List<Consumer<Router>> mounts;
  private final WorkerExecutor workers;
  private final Handler<RoutingContext> guard;
  private final Optional<ServerTls> tls;
  private AdminListener listening;

  /**
   * @param documents JSON documents by path, each built on the admin worker pool per request, e.g.
   *     {@code /api/config} (the effective config with secrets already masked) and {@code /api/tee}
   * @param mounts route contributors, applied in order before the built-in routes (first match wins)
   * @param guard runs first for every request and ends those it refuses
   * @param tls the port's certificate and key files; empty = plain HTTP
   */
  public AdminServer(
      Vertx vertx,
      ListenAddress address,
      PrometheusMeterRegistry registry,
      Map<String, Supplier<JsonObject>> documents,
      List<Consumer<Router>> mounts,
      Handler<RoutingContext> guard,
      Optional<ServerTls> tls) {
    this.vertx = vertx;
    this.tls = tls;
    this.guard = guard;
    this.address = address;
    this.registry = registry;
    this.documents = Map.copyOf(documents);
    this.mounts = List.copyOf(mounts);
    this.workers = vertx.createSharedWorkerExecutor("shadowcar-admin", 2);
  }

  /** Starts listening; the future holds the bound port (useful when the configured port is 0). */
  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.route().handler(guard);
    mounts.forEach(mount -> mount.accept(router));
    router.get("/metrics").handler(this::metrics);
    documents.forEach((path, document) -> router.get(path).handler(ctx -> json(ctx, document)));
    clearTextWarning(address.host(), tls.isPresent()).ifPresent(LOG::warn);
    return AdminListener.listen(vertx, address, tls, router, "admin", registry).map(bound -> {
      listening = bound;
      LOG.info("admin listening on {}://{}:{}", bound.scheme(), address.host(), bound.port());
      return bound.port();
    });
  }

  /**
   * The start-up warning for an admin port that listens off loopback without TLS, where the token callers send and
   * every answer can be read on the network; empty on loopback or with TLS.
   */
  static Optional<String> clearTextWarning(String host, boolean tls) {
    if (tls || Loopback.isLoopbackHost(host)) {
      return Optional.empty();
    }
    return Optional.of("the admin port listens on " + host + " without TLS: the admin token and every answer "
        + "(/metrics, /api/config) cross the network in clear text; set " + LauncherSettings.ADMIN_TLS.certFile().key()
        + " and " + LauncherSettings.ADMIN_TLS.keyFile().key() + " to serve it over HTTPS");
  }

  /** {@code https} when the port has TLS, else {@code http}. */
  public String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  private void metrics(RoutingContext ctx) {
    workers.executeBlocking(registry::scrape, false).onComplete(result -> {
      if (result.succeeded()) {
        ctx.response().putHeader("content-type", PROMETHEUS_TEXT).end(result.result());
      } else {
        ctx.fail(result.cause());
      }
    });
  }

  private void json(RoutingContext ctx, Supplier<JsonObject> document) {
    workers.executeBlocking(() -> document.get().encodePrettily(), false)
        .onComplete(result -> {
          if (result.succeeded()) {
            ctx.response().putHeader("content-type", "application/json").end(result.result());
          } else {
            ctx.fail(result.cause());
          }
        });
  }

  /** Stops listening and releases the worker pool. */
  public Future<Void> stop() {
    Future<Void> closed = listening == null ? Future.succeededFuture() : listening.close();
    return closed.eventually(() -> workers.close());
  }
}
