package io.shadowcar.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.launcher.config.SidecarConfig;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.sink.ShadowExchangeListener;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.ShadowSinks;
import io.shadowcar.sink.http.HttpShadowSink;
import io.shadowcar.sink.kafka.KafkaShadowSink;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.tee.TeeRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything on the shadow side, built from one config: the tee router (the proxy's tap), the HTTP sink and, when
 * configured, the Kafka sink, fanned out by {@link ShadowSinks}. Owned by {@link Sidecar}.
 */
final class ShadowPath {

  private final TeeRouter router;
  private final List<ShadowSink> sinks;

  ShadowPath(Vertx vertx, SidecarConfig config, TargetSource shadowTargets, MeterRegistry registry) {
    List<ShadowSink> built = new ArrayList<>();
    built.add(new HttpShadowSink(vertx, config.httpSink(), shadowTargets, ShadowExchangeListener.NONE, registry));
    config.kafkaSink().ifPresent(kafka -> built.add(new KafkaShadowSink(kafka, registry)));
    this.sinks = List.copyOf(built);
    this.router = new TeeRouter(config.tee(), new ShadowSinks(sinks, new TeeMetrics(registry)), registry);
  }

  TeeRouter router() {
    return router;
  }

  /** Flushes and closes every sink (Kafka flushes within its close timeout); never fails. */
  Future<Void> close() {
    List<Future<Void>> closed = sinks.stream().map(sink -> sink.close().otherwiseEmpty()).toList();
    return Future.join(closed).mapEmpty();
  }
}
