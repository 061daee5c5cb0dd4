package io.shadowcar.sink.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.RecordingShadow;
import io.shadowcar.sink.TestSinks;
import io.shadowcar.sink.ShadowSinks;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeConfig;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.tee.TeeRouter;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.shadowcar.testkit.LeakDetectionExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/** Router, fan-out and HTTP sink together against a shadow that holds every request: memory stays bounded. */
@ExtendWith(LeakDetectionExtension.class)
class StuckShadowFloodTest {

  private static final int BODY = 4096;
  private static final int INFLIGHT = 40;
  private static final int REQUESTS = 1000;
  private static final int POOL = 8;
  /** Copies a stuck shadow holds: one per pooled connection and as many waiting in the pool's queue. */
  private static final int HELD = 2 * POOL;

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void floodOfCopiesToAStuckShadowIsDroppedAndCountedWithBoundedBuffers() throws Exception {
    try (RecordingShadow shadow = new RecordingShadow(vertx).mode(RecordingShadow.Mode.HOLD)) {
      HttpShadowSink sink = new HttpShadowSink(
          HttpShadowSinkConfig.defaults().withLimits(INFLIGHT, 0, 60_000).withPool(POOL),
          TargetSource.parse(shadow.uri().toString()), TestSinks.context(vertx, registry));
      TeeMetrics metrics = new TeeMetrics(registry);
      TeeRouter router = new TeeRouter(TeeConfig.defaults().withSinks(java.util.Set.of("http")), new ShadowSinks(List.of(sink), metrics), registry);
      Buffer body = Buffer.buffer(new byte[BODY]);

      // Every exchange runs on an event loop, as in the proxy, and completes at once: only the sink holds copies.
      vertx.runOnContext(v -> {
        for (int i = 0; i < REQUESTS; i++) {
          MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Length", String.valueOf(BODY));
          ExchangeTap tap = router.open(
              new RequestHead("r" + i, HttpMethod.GET, "/flood/" + i, headers, HttpVersion.HTTP_1_1, "127.0.0.1"));
          tap.onRequestChunk(body);
          tap.onRequestEnd();
          tap.onResponseHead(200, MultiMap.caseInsensitiveMultiMap());
          tap.onComplete(null);
        }
      });

      double inflightFull = REQUESTS - HELD;
      await().atMost(Duration.ofSeconds(20)).until(() ->
          registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON, DropReason.INFLIGHT_FULL.tag()).count()
              == inflightFull);
      // HTTP/1.1 without pipelining: one held request per pooled connection, as many admitted copies wait in the
      // pool's queue, and the head refuses the rest (fewer than maxInflight: more would only wait out their deadline).
      await().atMost(Duration.ofSeconds(20)).until(() -> shadow.received().size() == POOL);
      assertEquals(HELD, sink.inflight());
      assertEquals(HELD, registry.get(TeeMetrics.SHADOW_INFLIGHT).gauge().value());
      assertEquals((long) HELD * BODY, router.bufferedBytes(), "only admitted copies hold their bodies");
      assertEquals((double) HELD * BODY, registry.get(TeeMetrics.BUFFERED_BYTES).gauge().value());
      assertEquals(DropReason.INFLIGHT_FULL, sink.refusal(), "later requests are refused before any capture");

      shadow.releaseHeld();
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.inflight() == 0 && router.bufferedBytes() == 0);
      assertEquals(HELD, registry.counter(TeeMetrics.COPIES, TeeMetrics.TAG_SINK, "http",
          TeeMetrics.TAG_RESULT, TeeMetrics.RESULT_SENT).count());
      sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
