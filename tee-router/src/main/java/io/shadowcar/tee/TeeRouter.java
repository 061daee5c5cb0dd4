package io.shadowcar.tee;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.shadowcar.proxy.tap.TrafficTap;
import io.vertx.core.http.HttpHeaders;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Decides per request whether to copy it and where, from the request head alone, and captures the chosen ones into
 * {@link TeeEvent}s for a {@link TeeEventHandler} (normally the sinks' fan-out).
 *
 * <p>The decision reads one immutable snapshot from a volatile field: kill switch, route (first glob match), method
 * policy, sampling draw, declared {@code Content-Length}. A skipped request costs the decision and one counter
 * increment ({@code shadowcar_tee_skipped_total{reason}}) and gets {@link ExchangeTap#NONE}. A chosen request gets a
 * capture that copies its body (bounded per request by {@code maxBodyBytes} and overall by
 * {@code maxBufferedBytes}) and its primary response (bounded by {@code maxCapturedResponseBytes}, and not captured at all when
 * {@link TeeEventHandler#readsPrimaryResponse} says no one behind the route's sinks reads it).
 *
 * <p>Dynamic config: call {@link #update} with the new snapshot; exchanges already open keep the one they started
 * with. Not for routing the primary request: the proxy ignores what a tap does.
 */
public final class TeeRouter implements TrafficTap {

  private final TeeEventHandler handler;
  private final TeeMetrics metrics;
  private final BufferBudget budget = new BufferBudget();
  private final RandomGenerator random;
  private volatile RouterPlan plan;

  /** The router the launcher installs as the proxy's {@link TrafficTap}. */
  public TeeRouter(TeeConfig config, TeeEventHandler handler, MeterRegistry registry) {
    this(config, handler, registry, null);
  }

  /**
   * @param random the draw for random sampling, for tests that need exact decisions; {@code null} uses
   *     {@link java.util.concurrent.ThreadLocalRandom}. A shared generator must be thread-safe.
   */
  public TeeRouter(TeeConfig config, TeeEventHandler handler, MeterRegistry registry, RandomGenerator random) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.metrics = new TeeMetrics(registry);
    this.random = random;
    this.plan = new RouterPlan(Objects.requireNonNull(config, "config"), handler, random);
    Gauge.builder(TeeMetrics.BUFFERED_BYTES, budget, BufferBudget::used).register(registry);
  }

  /** Swaps in a new config for requests opened from now on. */
  public void update(TeeConfig config) {
    plan = new RouterPlan(Objects.requireNonNull(config, "config"), handler, random);
  }

  public TeeConfig config() {
    return plan.config;
  }

  /** Bytes held by captures now (request bodies and primary responses not yet released). */
  public long bufferedBytes() {
    return budget.used();
  }

  @Override
  public ExchangeTap open(RequestHead head) {
    RouterPlan p = plan;
    TeeConfig config = p.config;
    if (!config.enabled()) {
      return skip(DropReason.DISABLED);
    }
    if (head.upgrade() != null) {
      return skip(DropReason.UPGRADE);
    }
    RouterPlan.Route route = p.route(head.uri());
    if (route == null) {
      return skip(DropReason.NO_ROUTE);
    }
    if (!route.methods().contains(head.method())) {
      return skip(DropReason.UNSAFE_METHOD);
    }
    if (!route.sampler().sample(head)) {
      return skip(DropReason.SAMPLED_OUT);
    }
    long declared = declaredLength(head);
    if (declared > config.maxBodyBytes()) {
      return skip(DropReason.BODY_TOO_LARGE);
    }
    if (route.sinks().isEmpty()) {
      return skip(DropReason.SINK_DOWN); // no sink configured for this route: a wanted copy with nowhere to go
    }
    DropReason refused = handler.refusal(route.sinks());
    if (refused != null) {
      return skip(refused);
    }
    return new TeeCapture(head, route, p, declared, metrics, handler, budget);
  }

  private ExchangeTap skip(DropReason reason) {
    metrics.count(reason);
    return ExchangeTap.NONE;
  }

  private static long declaredLength(RequestHead head) {
    String value = head.headers().get(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
