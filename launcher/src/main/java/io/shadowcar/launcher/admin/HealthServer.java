package io.shadowcar.launcher.admin;

import io.shadowcar.health.api.HealthRoutes;
import io.shadowcar.launcher.config.ListenAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health port: what load balancers, Kubernetes probes and Eureka's {@code healthCheckUrl}/{@code statusPageUrl}
 * need, and nothing else: {@code /healthcheck}, {@code /ready}, {@code GET /api/status}, {@code GET /api/checks} and
 * the status page, all read-only. It may listen on every interface while the admin port (mutations, config, metrics,
 * the diff) stays on loopback: nothing here changes state or shows configuration, so it needs no token.
 *
 * <p>Every handler serves the health agent's cached state (a map lookup and a small JSON), so they run on the event
 * loop. Not for operators' changes: those are the admin port's.
 */
public final class HealthServer {

  private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);

  private final Vertx vertx;
  private final ListenAddress address;
  private final HealthRoutes routes;
  private HttpServer server;

  public HealthServer(Vertx vertx, ListenAddress address, HealthRoutes routes) {
    this.vertx = vertx;
    this.address = address;
    this.routes = routes;
  }

  /** Starts listening; the future holds the bound port (useful when the configured port is 0). */
  public Future<Integer> start() {
    Router router = Router.router(vertx);
    routes.mountReadOnly(router, HealthRoutes.DEFAULT_PAGE_PATH);
    server = vertx.createHttpServer(new HttpServerOptions().setHost(address.host()).setPort(address.port()));
    return server.requestHandler(router).listen().map(bound -> {
      LOG.info("health port listening on http://{}:{} (read-only: /healthcheck, /ready, /api/status)",
          address.host(), bound.actualPort());
      return bound.actualPort();
    });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
