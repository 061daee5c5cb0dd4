package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetectionExtension.class)
class GracefulShutdownTest {

  private final ProxyHarness harness = new ProxyHarness();
  private final CountDownLatch received = new CountDownLatch(1);
  private final Promise<Void> release = Promise.promise();

  @AfterEach
  void close() {
    harness.close();
  }

  private static boolean refusesConnections(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** A primary that answers {@code body} to each request once {@link #release} completes; 20 s of drain. */
  private void startBeforeAPrimaryThatAnswersOnRelease(String body) {
    HttpServer slow = await(harness.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(req -> {
          received.countDown();
          release.future().onComplete(v -> req.response().end(body));
        })
        .listen(0, "127.0.0.1"));
    harness.start(ProxyHarness.config(10_000, 20_000, ProxyHarness.config().breaker()),
        TargetSource.parse("http://127.0.0.1:" + slow.actualPort()), TrafficTap.NONE);
  }

  @Test
  void finishesAnInFlightSlowRequestWhileRefusingNewConnections() throws Exception {
    startBeforeAPrimaryThatAnswersOnRelease("slow but complete");
    int port = harness.port();
    CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(
        () -> harness.raw("GET /slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    assertTrue(received.await(10, TimeUnit.SECONDS));

    Future<Void> shutdown = harness.proxy.shutdown();
    await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
    assertFalse(inFlight.isDone(), "the in-flight request was cut");
    assertFalse(shutdown.isComplete(), "shutdown did not wait for the in-flight request");

    harness.vertx.runOnContext(v -> release.complete());
    String answer = inFlight.get(10, TimeUnit.SECONDS);
    assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("slow but complete"), answer);
    await(shutdown);
  }

  @Test
  void closesConnectionsStillBusyWhenTheDrainTimeoutExpires() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    HttpServer stuck = await(harness.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(req -> received.countDown())
        .listen(0, "127.0.0.1"));
    harness.start(ProxyHarness.config(10_000, 200, ProxyHarness.config().breaker()),
        TargetSource.parse("http://127.0.0.1:" + stuck.actualPort()), TrafficTap.NONE);
    CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(
        () -> harness.raw("GET /stuck HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    assertTrue(received.await(10, TimeUnit.SECONDS));
    await(harness.proxy.shutdown());
    assertFalse(inFlight.get(10, TimeUnit.SECONDS).startsWith("HTTP/1.1 200"));
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.active() == 0);
  }

  @Test
  void aKeepAliveRequestInFlightAtShutdownIsAnsweredWithConnectionCloseAndNothingIsCut() throws Exception {
    startBeforeAPrimaryThatAnswersOnRelease("done");
    int port = harness.port();
    try (RawCaller keepAlive = new RawCaller(port)) {
      keepAlive.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
      assertTrue(received.await(10, TimeUnit.SECONDS));

      Future<Void> shutdown = harness.proxy.shutdown();
      await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
      harness.vertx.runOnContext(v -> release.complete());

      String answer = keepAlive.readResponse();
      assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("done"), answer);
      assertTrue(answer.toLowerCase().contains("connection: close"), "the caller was not told to go: " + answer);
      assertEquals("", keepAlive.readToEnd(), "closed cleanly after the answer");
      await(shutdown);
    }
  }
}
