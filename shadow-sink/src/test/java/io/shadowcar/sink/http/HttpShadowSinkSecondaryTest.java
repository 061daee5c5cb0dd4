package io.shadowcar.sink.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.RecordingShadow;
import io.shadowcar.sink.SinkMetrics;
import io.shadowcar.sink.TestSinks;
import io.shadowcar.sink.observe.CompletedExchange;
import io.shadowcar.sink.observe.ShadowOutcome;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP sink with a secondary: one copy to each, one permit, one exchange with both outcomes. */
@ExtendWith(LeakDetectionExtension.class)
class HttpShadowSinkSecondaryTest {

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger releases = new AtomicInteger();
  private final List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
  private HttpShadowSink sink;

  @AfterEach
  void tearDown() throws Exception {
    if (sink != null) {
      sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpShadowSink sink(HttpShadowSinkConfig config, URI candidate, URI secondary) {
    sink = new HttpShadowSink(config, TargetSource.parse(candidate.toString()), TargetSource.parse(secondary.toString()),
        TestSinks.context(vertx, registry, exchanges::add));
    return sink;
  }

  private TeeEvent get(String uri) {
    CapturedResponse primary = new CapturedResponse(200, List.of(), Buffer.buffer("primary-answer"), false, 14,
        Duration.ofMillis(1));
    return new TeeEvent("rid-" + uri.hashCode(), HttpMethod.GET, uri, "default",
        List.of(Map.entry("Host", "api.example"), Map.entry("X-Request-Id", "rid-7")), Buffer.buffer(),
        Set.of("http"), Future.succeededFuture(primary), releases::incrementAndGet);
  }

  private double copies(String result) {
    return registry.counter(TeeMetrics.COPIES, TeeMetrics.TAG_SINK, "http", TeeMetrics.TAG_RESULT, result).count();
  }

  private double secondaryCopies(String result) {
    return registry.counter(SinkMetrics.SECONDARY_COPIES, TeeMetrics.TAG_SINK, "http", TeeMetrics.TAG_RESULT, result)
        .count();
  }

  @Test
  void copiesReachTheCandidateAndTheSecondaryAndTheExchangeCarriesBothAnswers() throws Exception {
    try (RecordingShadow candidate = new RecordingShadow(vertx).answering(200, "v2");
        RecordingShadow secondary = new RecordingShadow(vertx).answering(203, "v1-again")) {
      sink(HttpShadowSinkConfig.defaults(), candidate.uri(), secondary.uri()).send(get("/users/1?x=1"));

      await().atMost(Duration.ofSeconds(10)).until(() -> exchanges.size() == 1);
      assertEquals("/users/1?x=1", candidate.received().get(0).uri());
      assertEquals("/users/1?x=1", secondary.received().get(0).uri());
      assertEquals("rid-7", secondary.received().get(0).headers().get("X-Request-Id"));
      CompletedExchange exchange = exchanges.get(0);
      assertEquals("primary-answer", exchange.primary().orElseThrow().body().toString());
      assertEquals("v2", exchange.candidate().orElseThrow().response().body().toString());
      assertEquals(203, exchange.secondary().orElseThrow().response().statusCode());
      assertEquals("v1-again", exchange.secondary().orElseThrow().response().body().toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 1 && sink.inflight() == 0);
      assertEquals(1, copies(TeeMetrics.RESULT_SENT));
      assertEquals(1, secondaryCopies(TeeMetrics.RESULT_SENT));
    }
  }

  @Test
  void deadSecondaryNeitherFailsTheCandidatesCopiesNorOpensItsBreaker() throws Exception {
    RecordingShadow dead = new RecordingShadow(vertx);
    URI deadSecondary = dead.uri();
    dead.close();
    try (RecordingShadow candidate = new RecordingShadow(vertx).answering(200, "v2")) {
      sink(HttpShadowSinkConfig.defaults().withBreaker(50, 5, 60_000), candidate.uri(), deadSecondary);
      for (int i = 1; i <= 10; i++) {
        sink.send(get("/one/" + i));
        int sent = i;
        await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == sent);
      }

      assertEquals(10, copies(TeeMetrics.RESULT_SENT));
      assertEquals(0, copies(TeeMetrics.RESULT_FAILED));
      assertEquals(10, secondaryCopies(TeeMetrics.RESULT_FAILED));
      assertEquals(CircuitBreaker.State.CLOSED, sink.breakerState());
      assertEquals(10, candidate.received().size());
      await().atMost(Duration.ofSeconds(10)).until(() -> exchanges.size() == 10);
      for (CompletedExchange exchange : exchanges) {
        assertTrue(exchange.candidate().orElseThrow().answered());
        ShadowOutcome secondary = exchange.secondary().orElseThrow();
        assertFalse(secondary.answered());
      }
    }
  }

  @Test
  void theSlotIsHeldAndTheExchangeWaitsUntilTheSecondaryEnded() throws Exception {
    try (RecordingShadow candidate = new RecordingShadow(vertx).answering(200, "v2");
        RecordingShadow secondary = new RecordingShadow(vertx).mode(RecordingShadow.Mode.HOLD)) {
      sink(HttpShadowSinkConfig.defaults(), candidate.uri(), secondary.uri()).send(get("/held"));

      await().atMost(Duration.ofSeconds(10)).until(() -> candidate.received().size() == 1
          && secondary.received().size() == 1);
      // The candidate answered; the held secondary still owns the copy's in-flight slot and its event.
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(TeeMetrics.SHADOW_LATENCY).timers().stream()
          .mapToLong(t -> t.count()).sum() == 1);
      assertEquals(1, sink.inflight());
      assertEquals(0, releases.get());
      assertTrue(exchanges.isEmpty());

      secondary.releaseHeld();
      await().atMost(Duration.ofSeconds(10)).until(() -> exchanges.size() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> releases.get() == 1 && sink.inflight() == 0);
      assertTrue(exchanges.get(0).secondary().orElseThrow().answered());
    }
  }

  @Test
  void withoutAnAvailableSecondaryTheCopyGoesToTheCandidateAlone() throws Exception {
    try (RecordingShadow candidate = new RecordingShadow(vertx).answering(200, "v2")) {
      sink = new HttpShadowSink(HttpShadowSinkConfig.defaults(), TargetSource.parse(candidate.uri().toString()),
          TargetSource.parse(), TestSinks.context(vertx, registry, exchanges::add));
      sink.send(get("/alone"));

      await().atMost(Duration.ofSeconds(10)).until(() -> exchanges.size() == 1);
      assertTrue(exchanges.get(0).secondary().isEmpty());
      assertEquals(1, copies(TeeMetrics.RESULT_SENT));
      assertEquals(0, secondaryCopies(TeeMetrics.RESULT_SENT) + secondaryCopies(TeeMetrics.RESULT_FAILED));
    }
  }
}
