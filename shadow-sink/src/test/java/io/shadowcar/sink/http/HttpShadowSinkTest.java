package io.shadowcar.sink.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.RecordingShadow;
import io.shadowcar.sink.SinkMetrics;
import io.shadowcar.sink.TestSinks;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.sink.observe.ListenerRegistration;
import io.shadowcar.sink.observe.CompletedExchange;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import io.shadowcar.testkit.LeakDetectionExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakDetectionExtension.class)
class HttpShadowSinkTest {

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger releases = new AtomicInteger();
  private final List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private HttpShadowSink sink;
  /** Where {@link #send} sends from: an event loop (the copy then goes over the sink loop's own connections). */
  private Context sendingLoop;

  @AfterEach
  void tearDown() throws Exception {
    if (sink != null) {
      sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpShadowSink sink(HttpShadowSinkConfig config, URI... targets) {
    sink = new HttpShadowSink(config, TargetSource.of(Arrays.stream(targets).map(TargetUrl::of).toList()), TestSinks.context(vertx, registry,
        exchange -> {
          if (exchange.candidate().orElseThrow().answered()) {
            exchanges.add(exchange);
          } else {
            failures.add(exchange.candidate().orElseThrow().failure());
          }
        }));
    return sink;
  }

  private TeeEvent event(HttpMethod method, String uri, Buffer body) {
    CapturedResponse primary = new CapturedResponse(200, List.of(Map.entry("X-From", "primary")),
        Buffer.buffer("primary-answer"), false, 14, Duration.ofMillis(1));
    return new TeeEvent("rid-" + uri.hashCode(), method, uri, "default",
        List.of(Map.entry("Host", "api.example-shadow:8080"), Map.entry("Accept", "a"), Map.entry("Accept", "b"),
            Map.entry("X-Request-Id", "rid-7"), Map.entry("X-Shadow-Request", "true")),
        body, Set.of("http"), Future.succeededFuture(primary), releases::incrementAndGet);
  }

  /**
   * Sends {@code copy} from this thread (through Vert.x's client), or from an event loop when {@code fromEventLoop}
   * (over the connections of the sink's loop that sends it), as the proxy's loops do.
   */
  private void send(TeeEvent copy, boolean fromEventLoop) {
    if (!fromEventLoop) {
      sink.send(copy);
      return;
    }
    if (sendingLoop == null) {
      sendingLoop = ((VertxInternal) vertx).createEventLoopContext();
    }
    sendingLoop.runOnContext(v -> sink.send(copy));
  }

  private TeeEvent get(String uri) {
    return event(HttpMethod.GET, uri, Buffer.buffer());
  }

  /** Sends copies one after the other, each waiting for the previous one's outcome, so the breaker sees them all. */
  private void sendOneAtATime(int count, String prefix) {
    for (int i = 1; i <= count; i++) {
      int before = releases.get();
      sink.send(get(prefix + i));
      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == before + 1);
    }
  }

  private double copies(String result) {
    return registry.counter(TeeMetrics.COPIES, TeeMetrics.TAG_SINK, "http", TeeMetrics.TAG_RESULT, result).count();
  }

  private double dropped(DropReason reason) {
    return registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON, reason.tag()).count();
  }

  private double inflightGauge() {
    return registry.get(TeeMetrics.SHADOW_INFLIGHT).tag(TeeMetrics.TAG_SINK, "http").gauge().value();
  }

  @ParameterizedTest(name = "from an event loop: {0}")
  @ValueSource(booleans = {false, true})
  void copyArrivesByteExactAndTheListenerGetsBothAnswers(boolean fromEventLoop) throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx).answering(201, "from-shadow")) {
      byte[] bytes = new byte[70_000];
      new Random(3).nextBytes(bytes);
      String uri = "/a%2Fb/c;m=1?q=%20x&q=y&empty=&plus=a+b";
      sink(HttpShadowSinkConfig.defaults(), shadow.uri());
      send(event(HttpMethod.POST, uri, Buffer.buffer(bytes)), fromEventLoop);

      await().atMost(Duration.ofSeconds(10)).until(() -> exchanges.size() == 1);
      RecordingShadow.Received got = shadow.received().get(0);
      assertEquals(HttpMethod.POST, got.method());
      assertEquals(uri, got.uri());
      assertEquals(Buffer.buffer(bytes), got.body());
      assertEquals("api.example-shadow:8080", got.headers().get("Host"));
      assertEquals(List.of("a", "b"), got.headers().getAll("Accept"));
      assertEquals("rid-7", got.headers().get("X-Request-Id"));
      assertEquals("true", got.headers().get("X-Shadow-Request"));
      assertEquals("70000", got.headers().get("Content-Length"));

      CompletedExchange exchange = exchanges.get(0);
      assertEquals("http", exchange.sink());
      assertEquals(uri, exchange.request().uri());
      assertEquals(201, exchange.candidate().orElseThrow().response().statusCode());
      assertEquals("from-shadow", exchange.candidate().orElseThrow().response().body().toString());
      assertEquals("primary-answer", exchange.primary().orElseThrow().body().toString());
      assertTrue(exchange.secondary().isEmpty());
      assertEquals(1, copies(TeeMetrics.RESULT_SENT));
      assertEquals(1, registry.get(TeeMetrics.SHADOW_LATENCY).tag(TeeMetrics.TAG_STATUS_CLASS, "2xx").timer().count());
      await().until(() -> releases.get() == 1 && sink.inflight() == 0);
    }
  }

  @ParameterizedTest(name = "from an event loop: {0}")
  @ValueSource(booleans = {false, true})
  void answersOfManyChunksAreCapturedInOrderUpToTheCap(boolean fromEventLoop) throws Exception {
    // the client hands a body over in chunks of at most 8 KiB: both answers span several, the second passes the cap
    String under = pattern(30_000);
    String over = pattern(TestSinks.CAPTURE_BYTES + 30_000);
    try (RecordingShadow shadow = new RecordingShadow(vertx).answering(200, under)) {
      sink(HttpShadowSinkConfig.defaults(), shadow.uri());
      send(get("/under"), fromEventLoop);
      await().atMost(Duration.ofSeconds(10)).until(() -> exchanges.size() == 1);
      shadow.answering(200, over);
      send(get("/over"), fromEventLoop);
      await().atMost(Duration.ofSeconds(10)).until(() -> exchanges.size() == 2);
    }
    CapturedResponse whole = exchanges.get(0).candidate().orElseThrow().response();
    assertSameText(under, whole.body().toString());
    assertEquals(false, whole.bodyTruncated());
    assertEquals(under.length(), whole.bodyBytesSeen());
    CapturedResponse cut = exchanges.get(1).candidate().orElseThrow().response();
    assertSameText(over.substring(0, TestSinks.CAPTURE_BYTES), cut.body().toString());
    assertEquals(true, cut.bodyTruncated());
    assertEquals(over.length(), cut.bodyBytesSeen());
  }

  /** Equal texts, or a failure that names the first difference rather than printing both 90 KiB texts. */
  private static void assertSameText(String expected, String actual) {
    int at = 0;
    while (at < Math.min(expected.length(), actual.length()) && expected.charAt(at) == actual.charAt(at)) {
      at++;
    }
    if (at < expected.length() || at < actual.length()) {
      throw new AssertionError("lengths " + expected.length() + " and " + actual.length() + ", first difference at "
          + at + ": expected '" + expected.substring(at, Math.min(expected.length(), at + 20)) + "', got '"
          + actual.substring(at, Math.min(actual.length(), at + 20)) + "'");
    }
  }

  /** Digits of the position, so a chunk out of place or twice shows. */
  private static String pattern(int length) {
    StringBuilder sb = new StringBuilder(length + 8);
    for (int i = 0; sb.length() < length; i++) {
      sb.append(i).append(',');
    }
    return sb.substring(0, length);
  }

  @Test
  void blockedListenerNeitherHoldsCopiesNorSlowsTheSinkAndLosesExchangesCounted() throws Exception {
    java.util.concurrent.CountDownLatch unblock = new java.util.concurrent.CountDownLatch(1);
    ExchangeObservers observers = ExchangeObservers.of(List.of(new ListenerRegistration("stuck", exchange -> {
      try {
        unblock.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, 2, 1L << 20)), registry);
    try (RecordingShadow shadow = new RecordingShadow(vertx)) {
      sink = new HttpShadowSink(HttpShadowSinkConfig.defaults(), TargetSource.parse(shadow.uri().toString()),
          TestSinks.context(vertx, registry, observers));
      for (int i = 0; i < 5; i++) {
        sink.send(get("/stuck/" + i));
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 5 && sink.inflight() == 0);
      assertEquals(5, copies(TeeMetrics.RESULT_SENT));
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.counter(SinkMetrics.LISTENER_DROPPED,
          SinkMetrics.TAG_LISTENER, "stuck", SinkMetrics.TAG_REASON, SinkMetrics.REASON_QUEUE_FULL).count() == 3);
    } finally {
      unblock.countDown();
      observers.close();
    }
  }

  @Test
  void withoutListenersTheShadowsBodyIsNotKept() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx).answering(200, "x".repeat(10_000))) {
      sink = new HttpShadowSink(HttpShadowSinkConfig.defaults(), TargetSource.parse(shadow.uri().toString()),
          TestSinks.context(vertx, registry));
      sink.send(get("/quiet"));
      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 1);
      assertEquals(1, copies(TeeMetrics.RESULT_SENT));
      assertEquals(0, sink.responseCaptureBytes());
    }
  }

  @Test
  void roundRobinsOverTheTargets() throws Exception {
    try (RecordingShadow a = new RecordingShadow(vertx); RecordingShadow b = new RecordingShadow(vertx)) {
      sink(HttpShadowSinkConfig.defaults(), a.uri(), b.uri());
      for (int i = 0; i < 6; i++) {
        sink.send(get("/rr/" + i));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 6);
      assertEquals(3, a.received().size());
      assertEquals(3, b.received().size());
    }
  }

  @ParameterizedTest(name = "from an event loop: {0}")
  @ValueSource(booleans = {false, true})
  void aHeaderTheClientRefusesIsACountedFailureAndTheNextCopyGoesThrough(boolean fromEventLoop) throws Exception {
    // A replayed record can carry what no decoder let through: a line break inside a header value.
    try (RecordingShadow shadow = new RecordingShadow(vertx).answering(200, "ok")) {
      sink(HttpShadowSinkConfig.defaults(), shadow.uri());
      CapturedResponse primary = new CapturedResponse(200, List.of(), Buffer.buffer("p"), false, 1,
          Duration.ofMillis(1));
      send(new TeeEvent("rid-bad", HttpMethod.GET, "/bad", "default",
          List.of(Map.entry("Host", "api.local"), Map.entry("X-Injected", "a\r\nX-Evil: 1")), Buffer.buffer(),
          Set.of("http"), Future.succeededFuture(primary), releases::incrementAndGet), fromEventLoop);
      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 1);
      assertEquals(1, copies(TeeMetrics.RESULT_FAILED));

      send(get("/good"), fromEventLoop);
      await().atMost(Duration.ofSeconds(10)).until(() -> exchanges.size() == 1);
      assertEquals(List.of("/good"), shadow.received().stream().map(RecordingShadow.Received::uri).toList());
      assertEquals(1, copies(TeeMetrics.RESULT_SENT));
      await().until(() -> releases.get() == 2 && sink.inflight() == 0);
    }
  }

  @Test
  void deadShadowIsACountedFailure() throws Exception {
    RecordingShadow dead = new RecordingShadow(vertx);
    URI target = dead.uri();
    dead.close();
    sink(HttpShadowSinkConfig.defaults(), target).send(get("/dead"));

    await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 1);
    assertEquals(1, copies(TeeMetrics.RESULT_FAILED));
    assertEquals(0, copies(TeeMetrics.RESULT_SENT));
    await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);
    assertEquals(0, sink.inflight());
    assertEquals(1, registry.get(TeeMetrics.SHADOW_LATENCY).tag(TeeMetrics.TAG_STATUS_CLASS, "error").timer().count());
  }

  @Test
  void shadowThatNeverAnswersTimesOutAndFreesItsSlot() throws Exception {
    NetServer silent = vertx.createNetServer().connectHandler(socket -> { });
    silent.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (RecordingShadow holding = new RecordingShadow(vertx).mode(RecordingShadow.Mode.NEVER)) {
      sink(HttpShadowSinkConfig.defaults().withLimits(10, 0, 300),
          URI.create("http://127.0.0.1:" + silent.actualPort()), holding.uri());
      sink.send(get("/silent-tcp"));
      sink.send(get("/silent-http"));
      assertEquals(2, sink.inflight());

      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 2);
      assertEquals(2, copies(TeeMetrics.RESULT_FAILED));
      assertEquals(0, sink.inflight());
      assertEquals(0, inflightGauge());
      await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 2);
      failures.forEach(f -> assertInstanceOf(TimeoutException.class, f));
      assertEquals(1, holding.received().size(), "the HTTP shadow did receive its copy");
    } finally {
      silent.close();
    }
  }

  @Test
  void failingShadowOpensTheBreakerAndLaterCopiesAreDroppedAsCircuitOpen() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx).answering(500, "boom")) {
      sink(HttpShadowSinkConfig.defaults().withBreaker(50, 5, 60_000), shadow.uri());
      sendOneAtATime(5, "/fail/");
      assertEquals(CircuitBreaker.State.OPEN, sink.breakerState());
      assertEquals(DropReason.CIRCUIT_OPEN, sink.refusal(), "the router is told before it captures anything");
      for (int i = 0; i < 7; i++) {
        sink.send(get("/after/" + i));
      }
      assertEquals(7, dropped(DropReason.CIRCUIT_OPEN));
      assertEquals(12, releases.get());
      assertEquals(5, copies(TeeMetrics.RESULT_SENT), "a 500 is an answer: sent, but a breaker failure");
      assertEquals(5, shadow.received().size());
      assertEquals(5, registry.get(TeeMetrics.SHADOW_LATENCY).tag(TeeMetrics.TAG_STATUS_CLASS, "5xx").timer().count());
    }
  }

  @Test
  void openBreakerLetsCopiesThroughAgainOnceTheShadowRecovers() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx).answering(503, "down")) {
      // open for far longer than the checks right after opening take, however slow the machine
      sink(HttpShadowSinkConfig.defaults().withBreaker(50, 5, 2_000), shadow.uri());
      sendOneAtATime(5, "/fail/");
      assertEquals(CircuitBreaker.State.OPEN, sink.breakerState());

      assertEquals(DropReason.CIRCUIT_OPEN, sink.refusal());
      // The open period ends on its own (not only when a copy asks), so the head-time check lets copies in again.
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.refusal() == null);
      assertEquals(CircuitBreaker.State.HALF_OPEN, sink.breakerState());

      shadow.answering(200, "back");
      // Each poll sends one copy: dropped while open, then probes in half-open, until the breaker closes.
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        sink.send(get("/probe"));
        return sink.breakerState() == CircuitBreaker.State.CLOSED;
      });
      assertTrue(shadow.received().stream().anyMatch(r -> r.uri().equals("/probe")));
    }
  }

  @Test
  void halfOpenBreakerWhoseProbesAreOutRefusesAtTheHead() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx).answering(503, "down")) {
      // open for far longer than the checks right after opening take, however slow the machine
      sink(HttpShadowSinkConfig.defaults().withBreaker(50, 5, 2_000), shadow.uri());
      sendOneAtATime(5, "/fail/");
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.refusal() == null);
      assertEquals(CircuitBreaker.State.HALF_OPEN, sink.breakerState());

      shadow.mode(RecordingShadow.Mode.HOLD); // the probes get no answer: half-open lasts until their deadline
      int probes = 10; // resilience4j's permitted calls in half-open
      for (int i = 0; i <= probes; i++) {
        sink.send(get("/probe/" + i));
      }

      assertEquals(1, dropped(DropReason.CIRCUIT_OPEN), "the copy after the probes");
      assertEquals(CircuitBreaker.State.HALF_OPEN, sink.breakerState());
      assertEquals(DropReason.CIRCUIT_OPEN, sink.refusal(), "later requests are refused before any capture");
      // Let every probe reach the shadow before it answers and closes: a probe still connecting when the shadow's
      // server closes is accepted by a listener without handlers, which Netty logs as a failed registration.
      await().atMost(Duration.ofSeconds(20))
          .until(() -> shadow.received().stream().filter(r -> r.uri().startsWith("/probe/")).count() == probes);
      shadow.answering(200, "back").releaseHeld();
      // the held probes answered in time close the breaker
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.breakerState() == CircuitBreaker.State.CLOSED);
    }
  }

  @ParameterizedTest(name = "from an event loop: {0}")
  @ValueSource(booleans = {false, true})
  void targetPathPrefixIsKeptInFrontOfTheRawUri(boolean fromEventLoop) throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx)) {
      sink(HttpShadowSinkConfig.defaults(), URI.create(shadow.uri() + "/v2"));
      send(get("/a%2Fb?x=%20"), fromEventLoop);
      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 1);
      assertEquals("/v2/a%2Fb?x=%20", shadow.received().get(0).uri());
    }
  }

  @Test
  void rateCapDropsCopiesOverTheLimit() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx)) {
      sink(HttpShadowSinkConfig.defaults().withLimits(1024, 2, 5000), shadow.uri());
      for (int i = 0; i < 20; i++) {
        sink.send(get("/rate/" + i));
      }
      double limited = dropped(DropReason.RATE_LIMITED);
      // 20 sends in a tight loop cannot all fit a 2-per-second cap however slow the machine is, short of 9 s.
      assertTrue(limited >= 1, "rate_limited: " + limited);
      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 20);
      assertEquals(20 - limited, copies(TeeMetrics.RESULT_SENT));
      assertEquals(20 - (int) limited, shadow.received().size());
    }
  }

  /**
   * Copies that wait for a slow shadow's connections serve nothing (it answers as many a second without them) and live
   * as long as its calls: once the calls are seen to hold a connection for over a second, the head refuses a copy as
   * soon as every connection is busy, where before the first call ended as many copies as connections could wait.
   */
  @Test
  void aShadowWhoseCallsHoldAConnectionLongLetsNoCopyWaitForOne() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx).mode(RecordingShadow.Mode.HOLD)) {
      sink(HttpShadowSinkConfig.defaults().withLimits(1024, 0, 60_000).withPool(4), shadow.uri());
      for (int i = 0; i < 4; i++) {
        sink.send(get("/first/" + i));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> shadow.received().size() == 4);
      assertEquals(null, sink.refusal(), "no call ended yet: four more may wait for the four busy connections");
      assertTrue(sink.status().details().get("waiting").startsWith("up to 4 copies per instance (no call has held"),
          sink.status().details().toString());

      Thread.sleep(1_200); // every call then holds its connection at least this long: over 0.4 s, so none may wait
      shadow.releaseHeld();
      await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_SENT) == 4);
      shadow.mode(RecordingShadow.Mode.HOLD);
      for (int i = 0; i < 4; i++) {
        sink.send(get("/second/" + i));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> shadow.received().size() == 8);
      assertEquals(DropReason.INFLIGHT_FULL, sink.refusal(), "four connections busy, and no copy may wait");
      String waiting = sink.status().details().get("waiting");
      assertTrue(waiting.startsWith("up to 0 copies per instance (a connection held 1"), waiting);

      shadow.releaseHeld();
      await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_SENT) == 8);
      assertEquals(null, sink.refusal(), "connections free again: copies go");
    }
  }

  @Test
  void noTargetDropsTheCopy() {
    sink(HttpShadowSinkConfig.defaults()).send(get("/nowhere"));
    assertEquals(1, dropped(DropReason.NO_TARGET));
    assertEquals(1, releases.get());
  }

  @Test
  void closedSinkDropsAsSinkDown() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx)) {
      sink(HttpShadowSinkConfig.defaults(), shadow.uri());
      sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      sink.send(get("/late"));
      assertEquals(1, dropped(DropReason.SINK_DOWN));
      assertEquals(1, releases.get());
    }
  }
}
