package io.shadowcar.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.sink.observe.ExchangeListener;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.sink.observe.ListenerRegistration;
import io.shadowcar.proxy.ProxyServer;
import io.shadowcar.proxy.watchdog.LoopWatchdog;
import io.shadowcar.sink.http.HttpShadowSink;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sink contexts for tests: the tee's default body caps, no targets key, with or without one listener. */
public final class TestSinks {

  public static final int MAX_BODY_BYTES = 1 << 20;
  public static final int CAPTURE_BYTES = 64 << 10;
  /** One watchdog for every sink of the test JVM (its thread is a daemon); it watches the loops sinks start. */
  public static final LoopWatchdog WATCHDOG =
      LoopWatchdog.start(LoopWatchdog.Settings.DEFAULTS, new SimpleMeterRegistry());

  private TestSinks() {}

  public static SinkContext context(Vertx vertx, MeterRegistry registry) {
    return context(vertx, registry, ExchangeObservers.none());
  }

  /** A context whose sinks report to {@code listener}, behind a queue large enough never to drop in a test. */
  public static SinkContext context(Vertx vertx, MeterRegistry registry, ExchangeListener listener) {
    return context(vertx, registry, ExchangeObservers.of(
        List.of(new ListenerRegistration("test", listener, 10_000, 1L << 30)), registry));
  }

  /** Stops what a proxy-with-tee test started, in order: the proxy, the sink, then Vert.x ({@code null}s skipped). */
  public static void stopAll(ProxyServer proxy, HttpShadowSink sink, Vertx vertx) throws Exception {
    if (proxy != null) {
      proxy.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (sink != null) {
      sink.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public static SinkContext context(Vertx vertx, MeterRegistry registry, ExchangeObservers observers) {
    return context(vertx, registry, observers, HeaderMask.none());
  }

  /** A context whose sinks mask header values with {@code mask} in what they publish. */
  public static SinkContext context(Vertx vertx, MeterRegistry registry, ExchangeObservers observers,
      HeaderMask mask) {
    return new SinkContext(vertx, registry, key -> {
      throw new IllegalArgumentException("targets: " + key + " (expected: none in this test)");
    }, observers, MAX_BODY_BYTES, CAPTURE_BYTES, mask, 1, WATCHDOG);
  }
}
