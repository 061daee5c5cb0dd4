package io.shadowcar.dashboard.web;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.dashboard.DiffRecorder;
import io.shadowcar.dashboard.Exchanges;
import io.shadowcar.dashboard.RecordingPolicy;
import io.shadowcar.diff.EndpointSnapshot;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A recorder and the dashboard router on an HTTP server at 127.0.0.1 and a free port, mounted as the launcher mounts
 * it: a sub-router at {@code /} of the admin router. Mutations need the header {@code X-Admin-Token: secret}.
 */
final class DashboardServer implements AutoCloseable {

  static final String TOKEN_HEADER = "X-Admin-Token";
  static final String TOKEN = "secret";

  final Vertx vertx = SidecarTransport.vertx();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final DiffRecorder recorder;
  final HttpServer server;

  DashboardServer(Path dataDir) throws Exception {
    recorder = DiffRecorder.start(Exchanges.CONFIG, RecordingPolicy.defaults(), Exchanges.dashboardConfig(), dataDir,
        registry);
    Handler<RoutingContext> guard = ctx -> {
      if (TOKEN.equals(ctx.request().getHeader(TOKEN_HEADER))) {
        ctx.next();
      } else {
        ctx.response().setStatusCode(403).end("{\"error\":\"admin token required\"}");
      }
    };
    Router admin = Router.router(vertx);
    admin.route("/*").subRouter(DiffRoutes.create(vertx, recorder, guard));
    server = vertx.createHttpServer().requestHandler(admin).listen(0, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /**
   * Feeds every endpoint {@link Exchanges#ROUNDS} times on this (the one recording) thread, then waits until the
   * published view counts them all: it lags the recording by up to a quarter of a second, and a page or an API call
   * read before then shows part of the feed.
   */
  void feedAll() {
    long expected = requestsInView();
    for (int i = 0; i < Exchanges.ROUNDS; i++) {
      List<ExchangeSample> round = Exchanges.round(i);
      round.forEach(recorder::record);
      expected += round.size();
    }
    long all = expected;
    await().atMost(Duration.ofSeconds(10)).until(() -> requestsInView() >= all);
  }

  private long requestsInView() {
    return recorder.view().aggregate().endpoints().stream().mapToLong(EndpointSnapshot::requests).sum();
  }

  @Override
  public void close() throws TimeoutException {
    server.close().await(10, TimeUnit.SECONDS);
    recorder.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
