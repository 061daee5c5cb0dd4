package io.shadowcar.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.proxy.watchdog.LoopWatchdog;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the launcher gives every sink it builds. Shared by all sinks of one sidecar; nothing in it is per request.
 *
 * @param vertx the sidecar's Vert.x (event loops, timers, clients)
 * @param registry the metrics registry every module shares
 * @param targets the live instances behind a targets key the launcher resolves (a static list or {@code eureka:VIP},
 *     kept current at runtime), e.g. {@code shadowcar.shadow.targets}; an unknown key throws
 *     {@link IllegalArgumentException}
 * @param observers where a sink reports completed exchanges; {@link ExchangeObservers#none()} when nobody listens
 * @param maxBodyBytes the largest request body a sink is handed: the tee's {@code shadowcar.shadow.maxBodyBytes}, so a
 *     sink with a smaller limit of its own can say so at start-up
 * @param maxCapturedResponseBytes how much of a response body is kept for observers: the tee's
 *     {@code shadowcar.shadow.maxCapturedResponseBytes}, so shadow and primary bodies are cut at the same length
 * @param mask masks sensitive header values in whatever a sink stores or publishes (a Kafka record); never applied
 *     to what it sends to a shadow
 * @param eventLoops how many event loops the proxy sends copies from, so a sink that keeps connections per loop can
 *     share a per-instance connection limit among them
 * @param loopWatchdog watches the event loops a sink starts of its own; closed with Vert.x, not by a sink
 */
public record SinkContext(
    Vertx vertx,
    MeterRegistry registry,
    Function<String, TargetSource> targets,
    ExchangeObservers observers,
    int maxBodyBytes,
    int maxCapturedResponseBytes,
    HeaderMask mask,
    int eventLoops,
    LoopWatchdog loopWatchdog) {

  public SinkContext {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(observers, "observers");
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 0)");
    }
    Objects.requireNonNull(mask, "mask");
    if (maxCapturedResponseBytes < 0) {
      throw new IllegalArgumentException("maxCapturedResponseBytes: " + maxCapturedResponseBytes + " (expected: >= 0)");
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: >= 1)");
    }
    Objects.requireNonNull(loopWatchdog, "loopWatchdog");
  }

  /** The live instances behind {@code key}; see the record's doc. */
  public TargetSource targets(String key) {
    return targets.apply(key);
  }
}
