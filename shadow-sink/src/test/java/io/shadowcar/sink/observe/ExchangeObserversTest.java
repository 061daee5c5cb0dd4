package io.shadowcar.sink.observe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.sink.SinkMetrics;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExchangeObserversTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CountDownLatch unblock = new CountDownLatch(1);
  private final List<CompletedExchange> seenBySlow = new CopyOnWriteArrayList<>();
  private final List<String> slowThreads = new CopyOnWriteArrayList<>();
  private ExchangeObservers observers;

  /** Blocks on its first exchange until the test lets go. */
  private final ExchangeListener blocking = exchange -> {
    slowThreads.add(Thread.currentThread().getName());
    try {
      unblock.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    seenBySlow.add(exchange);
  };

  @AfterEach
  void close() {
    unblock.countDown();
    if (observers != null) {
      observers.close();
    }
  }

  private static CompletedExchange exchange(String id, int bodyBytes) {
    RequestCopy request = new RequestCopy(id, HttpMethod.GET, "/x/" + id, "default", List.of(),
        Buffer.buffer(new byte[bodyBytes]));
    return new CompletedExchange("http", request, Optional.empty(), Optional.empty(), Optional.empty());
  }

  private double dropped(String listener, String reason) {
    return registry.counter(SinkMetrics.LISTENER_DROPPED, SinkMetrics.TAG_LISTENER, listener,
        SinkMetrics.TAG_REASON, reason).count();
  }

  @Test
  void blockedListenerNeverSlowsTheOfferAndLosesOnlyItsOwnExchangesCounted() {
    List<CompletedExchange> seenByFast = new CopyOnWriteArrayList<>();
    observers = ExchangeObservers.of(List.of(
        new ListenerRegistration("slow", blocking, 3, 1L << 20),
        new ListenerRegistration("fast", seenByFast::add, 100, 1L << 20)), registry);

    for (int i = 0; i < 10; i++) {
      observers.offer(exchange("r" + i, 10));
    }
    // Every offer returned while the slow listener is still blocked on its first exchange: offering never waits.
    assertTrue(seenBySlow.isEmpty());
    assertEquals(7, dropped("slow", SinkMetrics.REASON_QUEUE_FULL), "3 held (1 in hand, 2 queued), 7 dropped");
    await().atMost(Duration.ofSeconds(10)).until(() -> seenByFast.size() == 10);
    assertEquals(0, dropped("fast", SinkMetrics.REASON_QUEUE_FULL));

    unblock.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> seenBySlow.size() == 3);
    assertEquals(List.of("r0", "r1", "r2"), seenBySlow.stream().map(e -> e.request().requestId()).toList());
    assertEquals("shadowcar-exchange-slow", slowThreads.get(0));
  }

  @Test
  void bytesHeldByAListenerQueueStayWithinItsBound() {
    observers = ExchangeObservers.of(List.of(new ListenerRegistration("slow", blocking, 100, 100)), registry);

    observers.offer(exchange("a", 40)); // in the listener's hands, still counted
    observers.offer(exchange("b", 40)); // 80 held
    observers.offer(exchange("c", 40)); // would be 120
    observers.offer(exchange("d", 20)); // 100: fits

    assertEquals(1, dropped("slow", SinkMetrics.REASON_BYTES_FULL));
    assertEquals(0, dropped("slow", SinkMetrics.REASON_QUEUE_FULL));
    unblock.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> seenBySlow.size() == 3);
    assertEquals(List.of("a", "b", "d"), seenBySlow.stream().map(e -> e.request().requestId()).toList());

    observers.offer(exchange("e", 100)); // everything given back: the whole budget is free again
    await().atMost(Duration.ofSeconds(10)).until(() -> seenBySlow.size() == 4);
  }

  @Test
  void aListenersOwnDropMetricCountsItsDropsInsteadOfTheGenericOne() {
    observers = ExchangeObservers.of(List.of(
        new ListenerRegistration("diff", blocking, 1, 100, "shadowcar.diff.dropped")), registry);

    observers.offer(exchange("a", 10)); // in the listener's hands
    observers.offer(exchange("b", 10)); // queue full
    observers.offer(exchange("c", 10)); // queue full

    assertEquals(2, registry.counter("shadowcar.diff.dropped", SinkMetrics.TAG_REASON, SinkMetrics.REASON_QUEUE_FULL)
        .count());
    assertTrue(registry.find(SinkMetrics.LISTENER_DROPPED).counters().isEmpty(), "never counted twice");
  }

  @Test
  void observedCopyIsOfferedWithThePrimaryOnceThePrimaryCompletes() {
    List<CompletedExchange> seen = new CopyOnWriteArrayList<>();
    observers = ExchangeObservers.of(List.of(new ListenerRegistration("diff", seen::add, 10, 1L << 20)), registry);
    Promise<CapturedResponse> primary = Promise.promise();
    TeeEvent event = new TeeEvent("rid", HttpMethod.POST, "/orders", "api", List.of(Map.entry("A", "1")),
        Buffer.buffer("body"), Set.of("http"), primary.future(), () -> { });
    CapturedResponse shadow = new CapturedResponse(201, List.of(), Buffer.buffer("s"), false, 1, Duration.ZERO);

    observers.observe("http", event, ShadowOutcome.answered(shadow));
    event.release();
    assertTrue(seen.isEmpty(), "waits for the primary");
    primary.complete(new CapturedResponse(200, List.of(), Buffer.buffer("p"), false, 1, Duration.ZERO));

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    CompletedExchange exchange = seen.get(0);
    assertEquals("rid", exchange.request().requestId());
    assertEquals("body", exchange.request().body().toString());
    assertEquals("p", exchange.primary().orElseThrow().body().toString());
    assertEquals(201, exchange.candidate().orElseThrow().response().statusCode());
    assertTrue(exchange.secondary().isEmpty());
    assertEquals(6, exchange.bodyBytes());
  }

  @Test
  void aDetachedListenerIsOfferedNothingUntilAttachedAgain() {
    List<CompletedExchange> seenByDiff = new CopyOnWriteArrayList<>();
    List<CompletedExchange> seenByOther = new CopyOnWriteArrayList<>();
    observers = ExchangeObservers.of(List.of(
        new ListenerRegistration("diff", seenByDiff::add, 10, 1L << 20),
        new ListenerRegistration("other", seenByOther::add, 10, 1L << 20)), registry);

    observers.attach("diff", false);
    observers.offer(exchange("while-detached", 10));
    assertTrue(observers.any(), "the other listener is still attached");
    observers.attach("other", false);
    assertFalse(observers.any(), "no listener attached: sinks capture nothing for observers");
    observers.offer(exchange("none-attached", 10));

    observers.attach("diff", true);
    assertTrue(observers.attached("diff"));
    observers.offer(exchange("attached-again", 10));

    await().atMost(Duration.ofSeconds(10)).until(() -> seenByDiff.size() == 1 && seenByOther.size() == 1);
    assertEquals("attached-again", seenByDiff.get(0).request().requestId());
    assertEquals("while-detached", seenByOther.get(0).request().requestId());
    assertThrows(IllegalArgumentException.class, () -> observers.attach("nobody", true));
  }

  @Test
  void withoutListenersNothingIsKept() {
    TeeEvent event = new TeeEvent("rid", HttpMethod.GET, "/", "default", List.of(), Buffer.buffer(), Set.of("http"),
        Future.succeededFuture(), () -> { });
    ExchangeObservers none = ExchangeObservers.of(List.of(), registry);

    none.observe("http", event, null);

    assertEquals(false, none.any());
    assertTrue(registry.getMeters().isEmpty());
  }
}
