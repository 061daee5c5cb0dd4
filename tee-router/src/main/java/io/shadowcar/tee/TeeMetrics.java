package io.shadowcar.tee;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The tee's metric names and the meters behind them, shared by the router and every sink so the names exist once.
 *
 * <p>Names are Micrometer's dotted form; the Prometheus export adds the unit suffix. Every tag value is bounded
 * (enum tags, a status class, a sink tag): never tag with a URL or a path.
 *
 * <p>Constructing several instances over one registry is fine (Micrometer returns the already-registered meters).
 */
public final class TeeMetrics {

  /** Copies that reached a sink's end, {@code shadowcar_tee_copies_total{sink,result}}; result {@code sent|failed}. */
  public static final String COPIES = "shadowcar.tee.copies";
  /** Wanted copies lost to a limit or failure before being sent, {@code shadowcar_tee_dropped_total{reason}}. */
  public static final String DROPPED = "shadowcar.tee.dropped";
  /** Requests not copied by policy (disabled, sampled out, method, no route): {@code shadowcar_tee_skipped_total}. */
  public static final String SKIPPED = "shadowcar.tee.skipped";
  /** Shadow response time with histogram, {@code shadowcar_shadow_latency_seconds{sink,status_class}}. */
  public static final String SHADOW_LATENCY = "shadowcar.shadow.latency";
  /** Copies in flight to a sink now, gauge {@code shadowcar_shadow_inflight{sink}}. */
  public static final String SHADOW_INFLIGHT = "shadowcar.shadow.inflight";
  /** Bytes held by captures (request bodies and primary responses) now, gauge {@code shadowcar_tee_buffered_bytes}. */
  public static final String BUFFERED_BYTES = "shadowcar.tee.buffered.bytes";

  public static final String TAG_REASON = "reason";
  public static final String TAG_RESULT = "result";
  public static final String TAG_SINK = "sink";
  public static final String TAG_STATUS_CLASS = "status_class";

  /** The sink delivered the copy (HTTP: the shadow answered, any status; Kafka: the broker acknowledged). */
  public static final String RESULT_SENT = "sent";
  /** The sink tried and failed (connection refused, reset, timeout, broker error). */
  public static final String RESULT_FAILED = "failed";
  /** {@code status_class} of a shadow exchange that produced no response (refused, reset, timeout). */
  public static final String STATUS_CLASS_ERROR = "error";

  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  private final Map<DropReason, Counter> byReason = new EnumMap<>(DropReason.class);

  public TeeMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (DropReason reason : DropReason.values()) {
      byReason.put(reason, Counter.builder(reason.isSkip() ? SKIPPED : DROPPED)
          .tag(TAG_REASON, reason.tag())
          .register(registry));
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Counts one request not copied, or one copy lost, in the counter its reason belongs to. */
  public void count(DropReason reason) {
    byReason.get(reason).increment();
  }

  /** The {@value #COPIES} counter for a sink and result; cache it, do not look it up per copy. */
  public Counter copies(String sink, String result) {
    return Counter.builder(COPIES).tag(TAG_SINK, sink).tag(TAG_RESULT, result).register(registry);
  }

  /** The {@value #SHADOW_LATENCY} timer for a sink and status class; cache it, do not look it up per copy. */
  public Timer shadowLatency(String sink, String statusClass) {
    return Timer.builder(SHADOW_LATENCY)
        .tag(TAG_SINK, sink)
        .tag(TAG_STATUS_CLASS, statusClass)
        .publishPercentileHistogram()
        .register(registry);
  }

  /** {@code 2xx} for 204 etc.; statuses outside 100–599 give {@value #STATUS_CLASS_ERROR}. */
  public static String statusClass(int status) {
    int index = status / 100 - 1;
    return index >= 0 && index < STATUS_CLASSES.length ? STATUS_CLASSES[index] : STATUS_CLASS_ERROR;
  }
}
