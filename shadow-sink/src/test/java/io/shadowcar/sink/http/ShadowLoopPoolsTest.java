package io.shadowcar.sink.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.common.concurrent.BackgroundPriority;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.proxy.watchdog.LoopWatchdog;
import io.shadowcar.sink.SinkContext;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Copies taken on an event loop go over the own connections of the loop that sends them (the one that took them, or
 * the sink's own) to a plain http:// shadow.
 */
@ExtendWith(LeakDetectionExtension.class)
class ShadowLoopPoolsTest {

  private final Vertx vertx = SidecarTransport.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LoopWatchdog watchdog = LoopWatchdog.start(LoopWatchdog.Settings.DEFAULTS, registry);
  /** Requests the shadow holds unanswered while {@link #holding}. */
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicBoolean holding = new AtomicBoolean(true);
  /** The threads on which copies ended (their permit released). */
  private final List<Thread> endedOn = new CopyOnWriteArrayList<>();
  private HttpServer shadow;
  private HttpShadowSink sink;

  @BeforeEach
  void startShadow() throws Exception {
    shadow = vertx.createHttpServer()
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(request -> {
          received.add(request.uri());
          if (holding.get()) {
            held.add(request);
          } else {
            request.response().end("shadow");
          }
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (sink != null) {
      sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    watchdog.close();
  }

  @Test
  void copiesOfOneLoopShareItsConnectionsAndWaitUpToTwiceItsShare() throws Exception {
    // 4 connections per instance over 2 loops: this loop opens 2 and, once they are busy, lets 4 copies wait and
    // refuses the rest
    sink = sink(HttpShadowSinkConfig.defaults().withPool(4).withEventLoops(0), 2);
    Context loop = vertx.getOrCreateContext();
    Thread[] loopThread = new Thread[1];
    loop.runOnContext(v -> {
      loopThread[0] = Thread.currentThread();
      sink.send(event("/copy/0"));
      sink.send(event("/copy/1"));
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);
    loop.runOnContext(v -> {
      for (int i = 2; i < 8; i++) {
        sink.send(event("/copy/" + i));
      }
    });

    // both read together: a copy is counted dropped a moment before its permit ends
    await().atMost(Duration.ofSeconds(10)).until(() -> dropped(DropReason.INFLIGHT_FULL) == 2 && sink.inflight() == 6);
    assertEquals(2, connections.get());
    // the head refuses what this loop has no room for (twice its share), while another loop still takes copies
    Context other = ((VertxInternal) vertx).createEventLoopContext();
    assertNotEquals(loopThread[0], onContext(other, Thread::currentThread), "precondition: two event loops");
    assertEquals(DropReason.INFLIGHT_FULL, onContext(loop, () -> sink.refusal()));
    assertEquals(null, onContext(other, () -> sink.refusal()));

    releaseHeld();
    await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_SENT) == 6);
    assertEquals(2, connections.get(), "the waiting copies reused the loop's two connections");
    assertEquals(List.of("/copy/0", "/copy/1", "/copy/2", "/copy/3", "/copy/4", "/copy/5"),
        received.stream().sorted().toList());
    await().atMost(Duration.ofSeconds(10)).until(() -> endedOn.size() == 8);
    assertEquals(List.of(loopThread[0]), endedOn.stream().distinct().toList(),
        "every copy, answered or refused, ended on the loop that took it");
  }

  @Test
  void copiesThatWaitedPastTheirDeadlineAreCountedFailedAndFreeTheirPlaces() throws Exception {
    sink = sink(HttpShadowSinkConfig.defaults().withLimits(100, 0, 1_000).withPool(1).withEventLoops(0), 1);
    Context loop = vertx.getOrCreateContext();
    loop.runOnContext(v -> sink.send(event("/held")));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
    loop.runOnContext(v -> {
      sink.send(event("/waiting/1"));
      sink.send(event("/waiting/2"));
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_FAILED) == 3 && sink.inflight() == 0);
    assertEquals(0, dropped(DropReason.INFLIGHT_FULL));

    holding.set(false);
    loop.runOnContext(v -> {
      sink.send(event("/later/1"));
      sink.send(event("/later/2"));
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_SENT) == 2);
    assertEquals(0, dropped(DropReason.INFLIGHT_FULL));
  }

  @Test
  void withLoopsOfItsOwnTheSinkSendsEveryLoopsCopiesThereAndSharesTheirConnections() throws Exception {
    // one loop of the sink's own holds all 2 connections, for copies taken on either of the proxy's 2 loops
    sink = sink(HttpShadowSinkConfig.defaults().withPool(2).withEventLoops(1), 2);
    Context first = vertx.getOrCreateContext();
    Context second = ((VertxInternal) vertx).createEventLoopContext();
    assertNotEquals(onContext(first, Thread::currentThread), onContext(second, Thread::currentThread),
        "precondition: two event loops");
    first.runOnContext(v -> sink.send(event("/first/0")));
    second.runOnContext(v -> sink.send(event("/second/0")));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);
    first.runOnContext(v -> sink.send(event("/first/1")));
    second.runOnContext(v -> sink.send(event("/second/1")));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.inflight() == 4);

    // both connections busy and as many copies waiting: the head refuses on either proxy loop; copies sent anyway wait
    // up to twice the connections, and the pool drops the next
    assertEquals(DropReason.INFLIGHT_FULL, onContext(first, () -> sink.refusal()));
    assertEquals(DropReason.INFLIGHT_FULL, onContext(second, () -> sink.refusal()));
    second.runOnContext(v -> {
      for (int i = 2; i < 5; i++) {
        sink.send(event("/second/" + i));
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> dropped(DropReason.INFLIGHT_FULL) == 1 && sink.inflight() == 6);
    assertEquals(2, connections.get());

    releaseHeld();
    await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_SENT) == 6 && endedOn.size() == 7);
    assertEquals(2, connections.get(), "the waiting copies reused the sink loop's two connections");
    List<Thread> threads = endedOn.stream().distinct().toList();
    assertEquals(1, threads.size(), "every copy ended on one thread: " + threads);
    assertEquals("shadowcar-shadow-loop-0", threads.get(0).getName());
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(LoopWatchdog.DELAY)
        .tag("loop", "shadowcar-shadow-loop-0").timer() != null); // the sink's loop is watched like the proxy's

    sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    sink = null;
    threads.get(0).join(TimeUnit.SECONDS.toMillis(10));
    assertEquals(false, threads.get(0).isAlive(), "closing the sink stops its loops");
  }

  @Test
  void aCopysDeadlineIsKeptInItsLoopsQueueUntilItEndsAndFailsItThere() throws Exception {
    sink = sink(HttpShadowSinkConfig.defaults().withEventLoops(1), 1); // the default 5 s timeout
    Context proxyLoop = vertx.getOrCreateContext();
    ShadowLoopPools.Loop sinkLoop = onContext(proxyLoop, () -> sink.loopPools().current());
    holding.set(false);
    proxyLoop.runOnContext(v -> sink.send(event("/answered")));
    await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_SENT) == 1);
    assertEquals(true, onSinkLoop(sinkLoop, () -> sinkLoop.deadlines().isEmpty()),
        "an answered copy's deadline left the queue with it, seconds before it was due");

    sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    sink = sink(HttpShadowSinkConfig.defaults().withLimits(100, 0, 1_000).withEventLoops(1), 1);
    holding.set(true);
    ShadowLoopPools.Loop nextSinkLoop = onContext(proxyLoop, () -> sink.loopPools().current());
    proxyLoop.runOnContext(v -> sink.send(event("/unanswered")));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
    assertEquals(false, onSinkLoop(nextSinkLoop, () -> nextSinkLoop.deadlines().isEmpty()));
    await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_FAILED) == 1 && sink.inflight() == 0);
    assertEquals(true, onSinkLoop(nextSinkLoop, () -> nextSinkLoop.deadlines().isEmpty()));
    assertEquals(List.of("shadowcar-shadow-loop-0"),
        endedOn.stream().map(Thread::getName).distinct().toList(), "both copies ended on the sink's loop");
  }

  /** The sink's own loops do shadow work: on busy cores the kernel runs the proxy's loops first. */
  @Test
  void theSinksOwnLoopsRunAtTheBackgroundPriorityAndTheProxysDoNot() throws Exception {
    assertTrue(BackgroundPriority.currentThreadNice().isPresent(), "precondition: Linux with /proc mounted");
    Context proxyLoop = vertx.getOrCreateContext();
    OptionalInt proxyNice = onContext(proxyLoop, BackgroundPriority::currentThreadNice);
    assertTrue(proxyNice.getAsInt() < 5, "precondition: the tests run below nice 5");
    BackgroundPriority.configure(5);
    try {
      sink = sink(HttpShadowSinkConfig.defaults().withEventLoops(1), 1);
      ShadowLoopPools.Loop sinkLoop = onContext(proxyLoop, () -> sink.loopPools().current());
      assertEquals(OptionalInt.of(5), onSinkLoop(sinkLoop, BackgroundPriority::currentThreadNice));
      assertEquals(proxyNice, onContext(proxyLoop, BackgroundPriority::currentThreadNice));
    } finally {
      BackgroundPriority.configure(0);
    }
  }

  @Test
  void copiesFromOutsideAnEventLoopStillGoThroughTheSharedClient() throws Exception {
    holding.set(false);
    sink = sink(HttpShadowSinkConfig.defaults().withPool(2), 2);
    for (int i = 0; i < 3; i++) {
      sink.send(event("/outside/" + i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> copies(TeeMetrics.RESULT_SENT) == 3);
    assertEquals(3, received.size());
  }

  private HttpShadowSink sink(HttpShadowSinkConfig config, int eventLoops) {
    SinkContext context = new SinkContext(vertx, registry, key -> {
      throw new IllegalArgumentException(key);
    }, ExchangeObservers.none(), 1 << 20, 1 << 16, HeaderMask.none(), eventLoops, watchdog);
    return new HttpShadowSink(config, TargetSource.parse("http://127.0.0.1:" + shadow.actualPort()), context);
  }

  private TeeEvent event(String uri) {
    CapturedResponse primary = new CapturedResponse(200, List.of(), Buffer.buffer("primary"), false, 7,
        Duration.ofMillis(1));
    return new TeeEvent("rid", HttpMethod.GET, uri, "default", List.of(Map.entry("Host", "api.example")),
        Buffer.buffer(), Set.of("http"), Future.succeededFuture(primary), () -> endedOn.add(Thread.currentThread()));
  }

  private static <T> T onContext(Context context, Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  private static <T> T onSinkLoop(ShadowLoopPools.Loop loop, Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(() -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  private void releaseHeld() {
    holding.set(false);
    for (HttpServerRequest request : new ArrayList<>(held)) {
      request.response().end("shadow");
    }
  }

  private double copies(String result) {
    return registry.counter(TeeMetrics.COPIES, TeeMetrics.TAG_SINK, "http", TeeMetrics.TAG_RESULT, result).count();
  }

  private double dropped(DropReason reason) {
    return registry.counter(TeeMetrics.DROPPED, TeeMetrics.TAG_REASON, reason.tag()).count();
  }
}
