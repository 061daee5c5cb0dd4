package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.BreakerConfig;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event loops' own keep-alive connections to plain HTTP/1.1 primaries: reused one request after another, capped
 * per target, never reused after the primary asked to close or past its {@code Keep-Alive} limit, closed when idle
 * for the keep-alive timeout, and replaced without a failed request when the primary closed one.
 */
@ExtendWith(LeakDetectionExtension.class)
class UpstreamConnectionReuseTest {

  private final ProxyHarness harness = new ProxyHarness();
  /** The primary's connections, by the proxy's port: opened, and whether closed. */
  private final Set<Integer> opened = ConcurrentHashMap.newKeySet();
  private final Set<Integer> closed = ConcurrentHashMap.newKeySet();
  /** One connection to the proxy, so one of its event loops serves every sequential request. */
  private HttpClient caller;

  @AfterEach
  void close() {
    harness.close();
  }

  private URI primary(HttpServerOptions options, Handler<HttpServerRequest> handler) {
    HttpServer server = harness.vertx.createHttpServer(options.setHost("127.0.0.1"))
        .connectionHandler(conn -> {
          int port = conn.remoteAddress().port();
          opened.add(port);
          conn.closeHandler(v -> closed.add(port));
        })
        .requestHandler(handler);
    return URI.create("http://127.0.0.1:" + await(server.listen(0)).actualPort());
  }

  private void startProxy(URI primary, int maxPoolSize, long idleTimeoutMs) {
    // the primary's timeout must be below the idle timeout
    long primaryTimeoutMs = Math.min(10_000, idleTimeoutMs / 2);
    ProxyConfig config = new ProxyConfig("127.0.0.1", 0, primaryTimeoutMs, 2_000, maxPoolSize, true, 8192, 4096,
        idleTimeoutMs, 10_000, new BreakerConfig(50f, 100, 100, 10_000, 1), 2, false, Optional.empty(),
        UpstreamTls.defaults(), TunnelConfig.defaults(), CallerLimits.defaults(), 0);
    harness.start(config, TargetSource.of(List.of(TargetUrl.of(primary))), TrafficTap.NONE);
  }

  /** {@code n} requests one after another on one caller connection; returns their statuses. */
  private List<Integer> sequential(int n) {
    if (caller == null) {
      caller = harness.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(harness.port()), new PoolOptions().setHttp1MaxSize(1));
    }
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      statuses.add(await(caller.request(HttpMethod.GET, "/seq/" + i)
          .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))));
    }
    return statuses;
  }

  @Test
  void requestsOneAfterAnotherShareOneConnection() {
    startProxy(primary(new HttpServerOptions(), req -> req.response().end("ok")), 16, 60_000);
    assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
        200, 200), sequential(20));
    assertEquals(1, opened.size(), "one keep-alive connection to the primary: " + opened);
  }

  @Test
  void concurrentRequestsWaitForTheCapAndAllGetAnswered() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    startProxy(primary(new HttpServerOptions(), req -> {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      harness.vertx.setTimer(300, id -> {
        inFlight.decrementAndGet();
        req.response().end("slow");
      });
    }), 2, 60_000);
    // 12 callers on as many connections, spread over the proxy's two event loops
    var callers = harness.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(harness.port()), new PoolOptions().setHttp1MaxSize(12));
    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(callers.request(HttpMethod.GET, "/c/" + i)
          .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode()))));
    }
    List<Integer> statuses = await(Future.all(calls)).list();
    assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200), statuses);
    assertTrue(opened.size() <= 4, "at most 2 connections per event loop: " + opened);
    assertTrue(mostInFlight.get() <= 4, "at most 2 requests at a time per event loop: " + mostInFlight);
  }

  @Test
  void aConnectionThePrimaryAskedToCloseIsNotReused() {
    startProxy(primary(new HttpServerOptions(), req -> req.response().putHeader("Connection", "close").end("bye")),
        16, 60_000);
    assertEquals(List.of(200, 200, 200, 200, 200), sequential(5));
    assertEquals(5, opened.size(), "a new connection for every request: " + opened);
  }

  @Test
  void aConnectionIsNotReusedPastThePrimarysKeepAliveLimit() {
    // The primary keeps idle connections 1 s: reusing one a second later races its close, so none is reused.
    startProxy(primary(new HttpServerOptions(), req -> req.response().putHeader("Keep-Alive", "timeout=1")
        .end("short")), 16, 60_000);
    assertEquals(List.of(200, 200, 200, 200, 200), sequential(5));
    assertEquals(5, opened.size(), "no connection reused: " + opened);
    Awaitility.await("the proxy closes the connections it will not reuse").atMost(Duration.ofSeconds(10))
        .until(() -> closed.size() == 5);
  }

  @Test
  void anIdleConnectionIsClosedAfterTheKeepAliveTimeout() {
    startProxy(primary(new HttpServerOptions(), req -> req.response().end("ok")), 16, 1_000);
    assertEquals(List.of(200), sequential(1));
    Awaitility.await("the idle connection is closed by the proxy after 1 s").atMost(Duration.ofSeconds(10))
        .until(() -> closed.size() == 1);
  }

  @Test
  void aConnectionThePrimaryClosedWhileIdleIsReplacedWithoutAFailedRequest() throws InterruptedException {
    // The primary closes connections idle for 1 s; the proxy would keep them for a minute.
    startProxy(primary(new HttpServerOptions().setIdleTimeout(1), req -> req.response().end("ok")), 16, 60_000);
    assertEquals(List.of(200), sequential(1));
    Awaitility.await("the primary closes the idle connection").atMost(Duration.ofSeconds(10))
        .until(() -> closed.size() == 1);
    Thread.sleep(2_000); // the proxy has long seen the close
    assertEquals(List.of(200, 200), sequential(2));
    assertEquals(2, opened.size(), "one new connection, reused: " + opened);
  }
}
