package io.shadowcar.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admission every sink shares, so its bookkeeping is written once: an in-flight cap, an optional cap on the body
 * bytes of admitted copies, and exactly one counted outcome per copy. A copy is either refused at {@link #admit} (then
 * dropped, counted and released here) or gets a {@link Permit} that ends exactly once, in the style of
 * Netflix concurrency-limits: acquire, then one of {@link Permit#sent()}, {@link Permit#failed()} or
 * {@link Permit#drop}. Meters: {@code shadowcar_shadow_inflight{sink}} and
 * {@code shadowcar_tee_copies_total{sink,result}}; drops go to {@code shadowcar_tee_dropped_total{reason}}. Every
 * drop and failure also goes to the sink's {@link DroppedCopiesLog}, so a steady loss shows in the log.
 *
 * <p>Lock-free, safe from any thread, never blocks. Not a rate limiter or breaker: sinks add those between admission
 * and sending, dropping the permit when they refuse.
 */
public final class SinkAdmission {

  private final int maxInflight;
  private final long maxBytes;
  private final TeeMetrics metrics;
  private final MeterRegistry registry;
  private final Counter sent;
  private final Counter failed;
  private final Gauge inflightGauge;
  private final DroppedCopiesLog lossLog;
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * @param sink the sink's tag, for its meters
   * @param maxInflight copies admitted and not yet ended, at most; over it a copy is dropped ({@code inflight_full})
   * @param maxBytes body bytes of those copies, at most; over it a copy is dropped ({@code buffer_full}); 0 = no cap
   */
  public SinkAdmission(String sink, int maxInflight, long maxBytes, MeterRegistry registry) {
    this(sink, maxInflight, maxBytes, registry, DroppedCopiesLog.of(() -> sink, java.util.Map.of(), line -> {}));
  }

  /** @param lossLog told about every drop and failure, to log them at most once a minute per reason */
  public SinkAdmission(String sink, int maxInflight, long maxBytes, MeterRegistry registry,
      DroppedCopiesLog lossLog) {
    if (maxInflight <= 0 || maxBytes < 0) {
      throw new IllegalArgumentException("admission: " + maxInflight + " copies, " + maxBytes
          + " bytes (expected: copies > 0, bytes >= 0)");
    }
    this.maxInflight = maxInflight;
    this.maxBytes = maxBytes;
    this.registry = registry;
    this.lossLog = lossLog;
    this.metrics = new TeeMetrics(registry);
    this.sent = metrics.copies(sink, TeeMetrics.RESULT_SENT);
    this.failed = metrics.copies(sink, TeeMetrics.RESULT_FAILED);
    this.inflightGauge = Gauge.builder(TeeMetrics.SHADOW_INFLIGHT, inflight, AtomicInteger::get)
        .tag(TeeMetrics.TAG_SINK, sink)
        .register(registry);
  }

  /** Why {@link #admit} would refuse right now, or {@code null}; reads only, never counts. */
  public DropReason refusal() {
    if (inflight.get() >= maxInflight) {
      return DropReason.INFLIGHT_FULL;
    }
    return maxBytes > 0 && bytes.get() >= maxBytes ? DropReason.BUFFER_FULL : null;
  }

  /**
   * Takes an in-flight slot and the event's body bytes.
   *
   * @return the copy's permit, or {@code null} when the copy was refused, in which case it was already dropped,
   *     counted and released
   */
  public Permit admit(TeeEvent event) {
    if (inflight.incrementAndGet() > maxInflight) {
      inflight.decrementAndGet();
      drop(event, DropReason.INFLIGHT_FULL);
      return null;
    }
    long size = event.body().length();
    if (maxBytes > 0 && bytes.addAndGet(size) > maxBytes) {
      bytes.addAndGet(-size);
      inflight.decrementAndGet();
      drop(event, DropReason.BUFFER_FULL);
      return null;
    }
    return new Permit(event, maxBytes > 0 ? size : 0);
  }

  /** Ends a copy that was never admitted (sink closed, no target...): counts the reason and releases the event. */
  public void drop(TeeEvent event, DropReason reason) {
    metrics.count(reason);
    lossLog.dropped(reason);
    event.release();
  }

  /** Copies admitted and not yet ended. */
  public int inflight() {
    return inflight.get();
  }

  /** Removes the in-flight gauge, so a sink built later with the same tag registers its own. */
  public void close() {
    registry.remove(inflightGauge);
  }

  /** One admitted copy. Its first outcome wins; later calls do nothing, so every path may report without care. */
  public final class Permit {
    private final TeeEvent event;
    private final long size;
    // 1 once set; fields and updaters, not AtomicBooleans: two objects less per copy in flight, which lives a second
    // or more before a slow shadow and is copied again at every young collection until then
    private static final AtomicIntegerFieldUpdater<Permit> ENDED =
        AtomicIntegerFieldUpdater.newUpdater(Permit.class, "ended");
    private static final AtomicIntegerFieldUpdater<Permit> HOLD_RELEASED =
        AtomicIntegerFieldUpdater.newUpdater(Permit.class, "holdReleased");
    private volatile int ended;
    private volatile int holdReleased;

    private Permit(TeeEvent event, long size) {
      this.event = event;
      this.size = size;
    }

    public TeeEvent event() {
      return event;
    }

    /**
     * Gives the tee's hold on the event back before the outcome is known (the bytes now live elsewhere, e.g. in a
     * producer's buffer); the slot stays taken. At most once; every outcome below does it too.
     */
    public void releaseHold() {
      if (HOLD_RELEASED.compareAndSet(this, 0, 1)) {
        event.release();
      }
    }

    /** The sink delivered the copy. */
    public void sent() {
      end(sent, null);
    }

    /** The sink tried and failed. */
    public void failed() {
      failed(null);
    }

    /** The sink tried and failed for {@code cause} (named in the log; may be null). */
    public void failed(Throwable cause) {
      if (end(failed, null)) {
        lossLog.failed(cause);
      }
    }

    /** The copy was lost after admission (breaker open, pool full, producer refused...). */
    public void drop(DropReason reason) {
      end(null, reason);
    }

    /** Whether an outcome was reported. */
    public boolean ended() {
      return ended != 0;
    }

    /** {@code true} when this was the copy's outcome (the first one reported). */
    private boolean end(Counter outcome, DropReason reason) {
      if (!ENDED.compareAndSet(this, 0, 1)) {
        return false;
      }
      inflight.decrementAndGet();
      if (size > 0) {
        bytes.addAndGet(-size);
      }
      if (outcome != null) {
        outcome.increment();
      } else {
        metrics.count(reason);
        lossLog.dropped(reason);
      }
      releaseHold();
      return true;
    }
  }
}
