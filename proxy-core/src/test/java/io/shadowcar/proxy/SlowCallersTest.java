package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.BreakerConfig;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.RefusingPort;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import io.shadowcar.proxy.tls.UpstreamTls;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Callers that upload slowly or stall hold nothing the primary's other callers need: small bodies are read before a
 * primary connection is taken, a silent body is answered 408, and none of it counts against the primary's breaker.
 */
@ExtendWith(LeakDetectionExtension.class)
class SlowCallersTest {

  private static final String UPLOAD_HEAD = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n";

  private final ProxyHarness harness = new ProxyHarness();
  private final AtomicInteger uploadsAtPrimary = new AtomicInteger();
  private final List<RawCaller> callers = new ArrayList<>();

  @AfterEach
  void close() {
    callers.forEach(RawCaller::close);
    harness.close();
  }

  /**
   * One event loop and a pool of two connections to the primary, a 2 s primary timeout, and these caller limits.
   * The breaker would open after 4 failures out of 4.
   */
  private void start(CallerLimits limits, Handler<HttpServerRequest> uploads) {
    HttpServer primary = await(harness.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(req -> {
          if (req.method() == HttpMethod.POST) {
            uploadsAtPrimary.incrementAndGet();
            uploads.handle(req);
          } else {
            req.response().end("ok");
          }
        })
        .listen(0, "127.0.0.1"));
    ProxyConfig config = new ProxyConfig("127.0.0.1", 0, 2_000, 2_000, 2, true, 8192, 4096, 60_000, 10_000,
        new BreakerConfig(50f, 4, 4, 60_000, 1), 1, false, Optional.empty(), UpstreamTls.defaults(), TunnelConfig.defaults(), limits, 0);
    harness.start(config, TargetSource.parse("http://127.0.0.1:" + primary.actualPort()),
        TrafficTap.NONE);
  }

  private static void echoLength(HttpServerRequest req) {
    req.body().onSuccess(body -> req.response().end("got:" + body.length()));
  }

  private RawCaller caller() {
    RawCaller caller = new RawCaller(harness.port());
    callers.add(caller);
    return caller;
  }

  private CircuitBreaker breaker() {
    return harness.proxy.primaryTargets().get(0).breaker();
  }

  @Test
  void slowUploadersHoldNoPrimaryConnectionSoOtherRequestsAreServed() {
    start(new CallerLimits(100, 10_000, 30_000, 64 * 1024, 1 << 20), SlowCallersTest::echoLength);
    List<RawCaller> uploaders = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // three times the pool
      uploaders.add(caller().send(UPLOAD_HEAD.formatted(100) + "x"));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.registry.get(ProxyMetrics.REQUEST_BUFFERED_BYTES)
        .gauge().value() == 6);

    for (int i = 0; i < 20; i++) {
      String answer = caller().send("GET /item/" + i + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
          .readToEnd();
      assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("ok"), "GET " + i + ": " + answer);
    }
    assertEquals(0, uploadsAtPrimary.get(), "an incomplete small upload reached the primary");
    assertEquals(0, breaker().getMetrics().getNumberOfFailedCalls());
    assertEquals(CircuitBreaker.State.CLOSED, breaker().getState());

    String done = uploaders.get(0).send("y".repeat(99)).readResponse();
    assertTrue(done.startsWith("HTTP/1.1 200") && done.endsWith("got:100"), done);
    assertEquals(1, uploadsAtPrimary.get());
    assertEquals(1, harness.registry.get(ProxyMetrics.REQUEST_BODIES).tag(ProxyMetrics.TAG_MODE,
        ProxyMetrics.MODE_BUFFERED).counter().count());
  }

  @Test
  void aBodyThatStallsIsAnswered408AfterTheBodyIdleTimeoutAndTheConnectionClosed() {
    start(new CallerLimits(100, 10_000, 1_000, 64 * 1024, 1 << 20), SlowCallersTest::echoLength);
    long start = System.nanoTime();
    String answer = caller().send(UPLOAD_HEAD.formatted(10) + "abc").readToEnd();
    long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

    assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
    assertTrue(answer.toLowerCase().contains("connection: close"), answer);
    assertTrue(elapsedMs >= 1_000, "answered after " + elapsedMs + " ms, before the body idle timeout");
    assertEquals(1, harness.rejected(Rejection.BODY_TIMEOUT.tag()));
    assertEquals(1, harness.errors(ProxyError.CALLER_TIMEOUT));
    assertEquals(0, uploadsAtPrimary.get());
    assertEquals(0, breaker().getMetrics().getNumberOfFailedCalls());
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.active() == 0);
    assertEquals(0, harness.registry.get(ProxyMetrics.REQUEST_BUFFERED_BYTES).gauge().value());
  }

  /**
   * A body larger than the buffer reaches the primary as it comes: the caller sends its second half only once the
   * primary has the first, so chunks held back to go out together and never flushed would never be answered.
   */
  @Test
  void aStreamedBodyReachesThePrimaryAsItComes() throws Exception {
    CompletableFuture<Void> primaryHasFirstHalf = new CompletableFuture<>();
    start(new CallerLimits(100, 10_000, 30_000, 1024, 1 << 20), req -> {
      long[] received = {0};
      req.handler(chunk -> {
        received[0] += chunk.length();
        if (received[0] >= 2_000) {
          primaryHasFirstHalf.complete(null);
        }
      });
      req.endHandler(ended -> req.response().end("got:" + received[0]));
    });
    RawCaller caller = caller().send(UPLOAD_HEAD.formatted(4_000) + "x".repeat(2_000));
    primaryHasFirstHalf.get(10, TimeUnit.SECONDS);
    String answer = caller.send("y".repeat(2_000)).readResponse();
    assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("got:4000"), answer);
  }

  @Test
  void aStreamedBodyThatStallsIsAnswered408AndIsNoFailureOfThePrimary() {
    start(new CallerLimits(100, 10_000, 1_000, 1024, 1 << 20), req -> { }); // the primary waits for the body
    String answer = caller().send(UPLOAD_HEAD.formatted(100_000) + "x".repeat(2_000)).readToEnd();

    assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
    assertEquals(1, uploadsAtPrimary.get(), "a body larger than the buffer is streamed");
    assertEquals(1, harness.rejected(Rejection.BODY_TIMEOUT.tag()));
    assertEquals(0, breaker().getMetrics().getNumberOfFailedCalls());
    assertEquals(CircuitBreaker.State.CLOSED, breaker().getState());
  }

  @Test
  void aPrimaryGivingUpOnAStalledUploadIsNotCountedAsItsFailure() {
    // the primary's own read timeout: it closes the connection while the caller's body is incomplete
    start(new CallerLimits(100, 10_000, 30_000, 1024, 1 << 20),
        req -> harness.vertx.setTimer(300, id -> req.connection().close()));
    for (int i = 0; i < 4; i++) { // as many as the breaker's window
      String answer = caller().send(UPLOAD_HEAD.formatted(100_000) + "x".repeat(2_000)).readResponse();
      assertTrue(answer.startsWith("HTTP/1.1 502"), answer);
    }
    assertEquals(4, uploadsAtPrimary.get());
    assertEquals(0, breaker().getMetrics().getNumberOfFailedCalls());
    assertEquals(CircuitBreaker.State.CLOSED, breaker().getState());
  }

  @Test
  void aPrimaryThatRefusesAStreamedUploadStillCountsAsFailing() throws Exception {
    try (RefusingPort dead = RefusingPort.open()) {
      aPrimaryThatRefusesAStreamedUploadStillCountsAsFailing(dead);
    }
  }

  private void aPrimaryThatRefusesAStreamedUploadStillCountsAsFailing(RefusingPort dead) {
    ProxyConfig config = new ProxyConfig("127.0.0.1", 0, 2_000, 2_000, 2, true, 8192, 4096, 60_000, 10_000,
        new BreakerConfig(50f, 4, 4, 60_000, 1), 1, false, Optional.empty(), UpstreamTls.defaults(), TunnelConfig.defaults(),
        new CallerLimits(100, 10_000, 30_000, 1024, 1 << 20), 0);
    harness.start(config, TargetSource.parse(dead.httpUri().toString()), TrafficTap.NONE);
    for (int i = 0; i < 4; i++) {
      String answer = caller().send(UPLOAD_HEAD.formatted(100_000) + "x".repeat(2_000)).readResponse();
      assertTrue(answer.startsWith("HTTP/1.1 502"), answer);
    }
    assertEquals(CircuitBreaker.State.OPEN, breaker().getState(), "a dead primary was excused as a slow caller");
  }

  @Test
  void bodiesAreStreamedOnceEveryBufferTogetherIsFull() {
    start(new CallerLimits(100, 10_000, 30_000, 1_000, 1_000), SlowCallersTest::echoLength);
    caller().send(UPLOAD_HEAD.formatted(800) + "a".repeat(600));
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.registry.get(ProxyMetrics.REQUEST_BUFFERED_BYTES)
        .gauge().value() == 600);

    RawCaller second = caller().send(UPLOAD_HEAD.formatted(800) + "b".repeat(600));
    await().atMost(Duration.ofSeconds(10)).until(() -> uploadsAtPrimary.get() == 1);
    assertEquals(1, harness.registry.get(ProxyMetrics.REQUEST_BODIES).tag(ProxyMetrics.TAG_MODE,
        ProxyMetrics.MODE_BUFFERS_FULL).counter().count());
    String answer = second.send("b".repeat(200)).readResponse();
    assertTrue(answer.endsWith("got:800"), answer);
  }
}
