package io.shadowcar.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.launcher.config.SidecarConfig;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.proxy.watchdog.LoopWatchdog;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.ShadowSinks;
import io.shadowcar.sink.SinkContext;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.sink.observe.ListenerRegistration;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.tee.TeeRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything on the shadow side, built from one config: the tee router (the proxy's tap), every configured sink
 * (whatever providers are bound; this class names none), fanned out by {@link ShadowSinks}, and the exchange
 * listeners the sinks report to. Owned by {@link Sidecar}.
 */
final class ShadowPath {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowPath.class);

  private final TeeRouter router;
  private final List<ShadowSink> sinks;
  private final ExchangeObservers observers;

  /**
   * @param targets the live instances behind a targets key, for sinks that send to a cluster
   * @param listeners the exchange listeners, each with its own bounded queue and thread
   * @param mask masks sensitive header values in what sinks publish
   * @param loopWatchdog watches the event loops a sink starts of its own
   */
  ShadowPath(Vertx vertx, SidecarConfig config, Function<String, TargetSource> targets,
      List<ListenerRegistration> listeners, HeaderMask mask, MeterRegistry registry, LoopWatchdog loopWatchdog) {
    this.observers = ExchangeObservers.of(listeners, registry);
    SinkContext context = new SinkContext(vertx, registry, targets, observers, config.tee().maxBodyBytes(),
        config.tee().maxCapturedResponseBytes(), mask, config.proxy().eventLoops(), loopWatchdog);
    this.sinks = config.sinks().stream().map(bound -> bound.create(context)).toList();
    this.router = new TeeRouter(config.tee(), new ShadowSinks(sinks, observers, new TeeMetrics(registry)), registry);
  }

  /**
   * Attaches or detaches the exchange listener registered as {@code name}, then re-plans the router, so whether a
   * route captures the primary's response body follows from the next request on. Runs at start-up and on the config
   * poller thread, never per request.
   */
  void attachListener(String name, boolean attach) {
    if (observers.attached(name) != attach) {
      observers.attach(name, attach);
      router.update(router.config());
    }
  }

  TeeRouter router() {
    return router;
  }

  /** The running sinks, in configuration order. */
  List<ShadowSink> sinks() {
    return sinks;
  }

  /**
   * After {@link #close()}: blocks until every listener handled what it was given, at most {@code timeout}. Never on
   * an event loop.
   */
  boolean awaitListeners(Duration timeout) {
    try {
      if (observers.awaitClosed(timeout)) {
        return true;
      }
      LOG.warn("exchange listeners did not finish within {}; their last exchanges are lost", timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Flushes and closes every sink (Kafka flushes within its close timeout), then the listeners; never fails. */
  Future<Void> close() {
    List<Future<Void>> closed = sinks.stream().map(sink -> sink.close().otherwiseEmpty()).toList();
    return Future.join(closed).<Void>mapEmpty().andThen(done -> observers.close());
  }
}
