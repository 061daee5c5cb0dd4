package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.proxy.tls.UpstreamTls;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.tls.TestCertificates;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The cap on open caller connections, the time a caller has to send a request head, and the idle timeout. */
@ExtendWith(LeakDetectionExtension.class)
class ConnectionLimitsTest {

  private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

  private final ProxyHarness harness = new ProxyHarness();
  private final List<RawCaller> callers = new ArrayList<>();

  @AfterEach
  void close() {
    callers.forEach(RawCaller::close);
    harness.close();
  }

  private void start(CallerLimits limits) {
    start(ProxyHarness.config().withCallers(limits));
  }

  private void start(ProxyConfig config) {
    HttpServer primary = await(harness.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(req -> req.response().end("ok"))
        .listen(0, "127.0.0.1"));
    harness.start(config, TargetSource.parse("http://127.0.0.1:" + primary.actualPort()), TrafficTap.NONE);
  }

  private RawCaller caller() {
    RawCaller caller = new RawCaller(harness.port());
    callers.add(caller);
    return caller;
  }

  private double openConnections() {
    return harness.registry.get(ProxyMetrics.CONNECTIONS).gauge().value();
  }

  @Test
  void closesConnectionsOverTheCapAndAcceptsAgainOnceOneCloses() {
    start(new CallerLimits(2, 10_000, 10_000, 1024, 1 << 20));
    RawCaller first = caller();
    assertTrue(first.send(GET).readResponse().endsWith("ok"));
    assertTrue(caller().send(GET).readResponse().endsWith("ok"));

    assertEquals("", caller().readToEnd(), "a third connection was kept open");
    assertEquals(1, harness.registry.get(ProxyMetrics.CONNECTIONS_REFUSED).counter().count());
    assertEquals(2, openConnections());

    first.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 1);
    assertTrue(caller().send(GET).readResponse().endsWith("ok"));
  }

  @Test
  void aHeadStillIncompleteAfterTheHeaderTimeoutIsAnswered408AndTheConnectionClosed() {
    start(new CallerLimits(100, 1_000, 10_000, 1024, 1 << 20));
    RawCaller keepAlive = caller();
    assertTrue(keepAlive.send(GET).readResponse().endsWith("ok"), "a prompt head is served");

    long start = System.nanoTime();
    String answer = keepAlive.send("GET /slow HTTP/1.1\r\nHost: a\r\n").readToEnd();
    long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

    assertTrue(answer.startsWith("HTTP/1.1 408") && answer.contains("Connection: close"), answer);
    assertTrue(elapsedMs >= 1_000, "answered after " + elapsedMs + " ms, before the header timeout");
    assertEquals(1, harness.rejected(Rejection.HEADER_TIMEOUT.tag()));
    assertEquals(1, harness.errors(ProxyError.CALLER_TIMEOUT));
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() {
    start(new CallerLimits(100, 1_000, 10_000, 1024, 1 << 20));
    long start = System.nanoTime();
    assertEquals("", caller().readToEnd());
    long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(elapsedMs >= 1_000, "closed after " + elapsedMs + " ms, before the header timeout");
    await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 0);
  }

  /**
   * A caller that resets its idle keep-alive connection (a client killed, a balancer's reset) fails nothing: the
   * connection is counted closed and nothing is logged above DEBUG. Vert.x logs a connection error at ERROR when the
   * connection has no handler of its own, and every caller stopping with the sidecar would write one.
   */
  @Test
  void aCallerResettingAnIdleKeepAliveConnectionIsNoError() {
    start(ProxyHarness.config());
    try (LogCapture vertx = LogCapture.of(ConnectionBase.class, Level.WARN)) {
      RawCaller keepAlive = new RawCaller(harness.port());
      assertTrue(keepAlive.send(GET).readResponse().endsWith("ok"));
      await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 1);
      keepAlive.reset();
      await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 0);
      assertEquals(List.of(), vertx.messages());
    }
  }

  @Test
  void aKeepAliveConnectionMayIdleLongerThanTheHeaderTimeoutBetweenRequests() throws Exception {
    start(new CallerLimits(100, 1_000, 10_000, 1024, 1 << 20));
    RawCaller keepAlive = caller();
    assertTrue(keepAlive.send(GET).readResponse().endsWith("ok"));
    Thread.sleep(2_000); // longer than the header timeout: between requests only the idle timeout applies
    assertTrue(keepAlive.send(GET).readResponse().endsWith("ok"));
    assertEquals(0, harness.rejected(Rejection.HEADER_TIMEOUT.tag()));
  }

  @Test
  void aKeepAliveConnectionWithoutTrafficIsClosedAfterTheIdleTimeout() {
    start(ProxyHarness.withIdleTimeout(3_000));
    RawCaller keepAlive = caller();
    assertTrue(keepAlive.send(GET).readResponse().endsWith("ok"));
    long start = System.nanoTime();
    assertEquals("", keepAlive.readToEnd(), "the proxy sent something to an idle connection");
    long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
    // closed between 3 and 3.75 s after its last traffic (a quarter of the timeout is the check's period)
    assertTrue(elapsedMs >= 2_000, "closed after " + elapsedMs + " ms, well before the idle timeout");
    await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 0);
  }

  @Test
  void anIdleHttp2ConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    start(ProxyHarness.withIdleTimeout(3_000));
    HttpClient h2 = harness.h2cClient(); // prior knowledge: the connection became HTTP/2 after the idle handler
    CompletableFuture<Long> closedAt = new CompletableFuture<>();
    String body = await(h2.request(HttpMethod.GET, "/").compose(req -> {
      req.connection().closeHandler(v -> closedAt.complete(System.nanoTime()));
      return req.send().compose(response -> {
        assertEquals(HttpVersion.HTTP_2, response.version());
        return response.body();
      });
    }).map(Buffer::toString));
    assertEquals("ok", body);
    long start = System.nanoTime();
    long elapsedMs = Duration.ofNanos(closedAt.get(20, TimeUnit.SECONDS) - start).toMillis();
    assertTrue(elapsedMs >= 2_000, "closed after " + elapsedMs + " ms, well before the idle timeout");
  }

  @Test
  void anIdleHttp2ConnectionOverTlsIsClosedAfterTheIdleTimeout(@TempDir Path dir) throws Exception {
    TestCertificates ca = TestCertificates.authority("shadowcar test CA");
    ca.issue("localhost", "127.0.0.1").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    ServerTls tls = new ServerTls(dir.resolve("tls.crt"), dir.resolve("tls.key"), 1);
    start(ProxyHarness.withIdleTimeout(3_000).withTls(Optional.of(tls), UpstreamTls.defaults()));
    try (H2Caller caller = H2Caller.overTls(harness.port(), ca.certificate())) { // ALPN h2
      CompletableFuture<Void> closed = caller.closed();
      assertEquals(200, caller.call(H2Caller.post("/"), List.of("hello"), null).status());
      long start = System.nanoTime();
      closed.get(20, TimeUnit.SECONDS);
      long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(elapsedMs >= 2_000, "closed after " + elapsedMs + " ms, well before the idle timeout");
    }
  }

  @Test
  void requestsKeepAConnectionOpenPastTheIdleTimeout() throws Exception {
    start(ProxyHarness.withIdleTimeout(3_000));
    RawCaller keepAlive = caller();
    for (int i = 0; i < 8; i++) { // 7 s on one connection, never 3 s without traffic
      assertTrue(keepAlive.send(GET).readResponse().endsWith("ok"), "request " + i);
      Thread.sleep(1_000);
    }
    assertEquals(1, openConnections());
  }
}
