package io.shadowcar.sink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.http.HttpShadowSink;
import io.shadowcar.sink.http.HttpShadowSinkConfig;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShadowSinksTest {

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void tellsTheRefusingSinkSoItsLogCountsTheCopiesTheRouterDrops() {
    List<DropReason> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    ShadowSink open = new ShadowSink() {
      @Override
      public String tag() {
        return "http";
      }

      @Override
      public DropReason refusal() {
        return DropReason.CIRCUIT_OPEN;
      }

      @Override
      public void refused(DropReason reason) {
        told.add(reason);
      }

      @Override
      public void send(TeeEvent event) {
        event.release();
      }

      @Override
      public io.vertx.core.Future<Void> close() {
        return io.vertx.core.Future.succeededFuture();
      }
    };
    ShadowSinks sinks = new ShadowSinks(List.of(open), new TeeMetrics(registry));

    assertEquals(DropReason.CIRCUIT_OPEN, sinks.refusal(Set.of("http")));
    assertEquals(DropReason.CIRCUIT_OPEN, sinks.refusal(Set.of("http")));

    assertEquals(List.of(DropReason.CIRCUIT_OPEN, DropReason.CIRCUIT_OPEN), told);
  }

  @Test
  void refusesAtTheHeadOnlyWhenNoSinkOfTheRouteWouldTakeTheCopy() throws Exception {
    HttpShadowSink http = new HttpShadowSink(HttpShadowSinkConfig.defaults(), TargetSource.parse(),
        TestSinks.context(vertx, registry));
    ShadowSink taking = new ShadowSink() {
      @Override
      public String tag() {
        return "kafka";
      }

      @Override
      public void send(TeeEvent event) {
        event.release();
      }

      @Override
      public io.vertx.core.Future<Void> close() {
        return io.vertx.core.Future.succeededFuture();
      }
    };
    ShadowSinks onlyHttp = new ShadowSinks(List.of(http), new TeeMetrics(registry));
    ShadowSinks both = new ShadowSinks(List.of(http, taking), new TeeMetrics(registry));

    assertEquals(DropReason.NO_TARGET, onlyHttp.refusal(Set.of("http")), "http sink has no target");
    assertEquals(DropReason.SINK_DOWN, onlyHttp.refusal(Set.of("kafka")), "kafka is not configured");
    assertEquals(null, both.refusal(Set.of("http", "kafka")), "kafka would take it");
    assertEquals(0.0, registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON, DropReason.NO_TARGET.tag()).count(),
        "asking never counts");
    http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(DropReason.SINK_DOWN, onlyHttp.refusal(Set.of("http")), "closed sink");
  }

  @Test
  void routeNamingAnUnconfiguredSinkLosesThatCopyAsSinkDownAndReleasesOnceAfterAll() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx)) {
      HttpShadowSink http = new HttpShadowSink(HttpShadowSinkConfig.defaults(),
          TargetSource.parse(shadow.uri().toString()), TestSinks.context(vertx, registry));
      ShadowSinks sinks = new ShadowSinks(List.of(http), new TeeMetrics(registry));
      AtomicInteger lastReleases = new AtomicInteger();
      Promise<CapturedResponse> primary = Promise.promise();
      TeeEvent event = new TeeEvent("rid", HttpMethod.GET, "/both", "r", List.of(Map.entry("X-Shadow-Request", "true")),
          Buffer.buffer(), Set.of("http", "kafka"), primary.future(), lastReleases::incrementAndGet);

      sinks.onTeeEvent(event);

      assertEquals(1, registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON, DropReason.SINK_DOWN.tag()).count());
      await().atMost(Duration.ofSeconds(10)).until(() -> lastReleases.get() == 1);
      assertEquals(0, event.holds());
      assertEquals(1, shadow.received().size());

      sinks.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      lastReleases.set(0);
      TeeEvent late = new TeeEvent("rid2", HttpMethod.GET, "/late", "r", List.of(), Buffer.buffer(),
          Set.of("http"), primary.future(), lastReleases::incrementAndGet);
      sinks.onTeeEvent(late);
      assertEquals(2, registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON, DropReason.SINK_DOWN.tag()).count(),
          "a closed sink drops as sink_down");
      assertEquals(1, lastReleases.get());
    }
  }

  @Test
  void rejectsTwoSinksWithOneTag() throws Exception {
    HttpShadowSink a = new HttpShadowSink(HttpShadowSinkConfig.defaults(), TargetSource.parse(),
        TestSinks.context(vertx, registry));
    assertThrows(IllegalArgumentException.class, () -> new ShadowSinks(List.of(a, a), new TeeMetrics(registry)));
  }
}
