package io.shadowcar.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shadowcar.diff.Verdict;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The recorder's meters; names as Micrometer spells them (Prometheus adds {@code _total} to counters). */
public final class DiffMetrics {

  /** Exchanges compared, tagged {@code result=same|different|noise}. */
  public static final String EXCHANGES = "shadowcar.diff.exchanges";
  /** Exchanges not compared, tagged {@code reason=disabled|sampled_out|error}. */
  public static final String SKIPPED = "shadowcar.diff.skipped";
  /** 1 while the store works (or is switched off), 0 once it failed. */
  public static final String STORE_OK = "shadowcar.diff.store.ok";
  /**
   * Exchanges the diff never saw because its queue was full, tagged {@code reason=queue_full|bytes_full}; counted by
   * the queue in front of the recorder (the launcher's exchange listener), not by the recorder.
   */
  public static final String DROPPED = "shadowcar.diff.dropped";
  /** Example exchanges held in memory. */
  public static final String SAMPLES = "shadowcar.diff.samples";
  /** Transactions written to the store (counters and new examples), and how long each took. */
  public static final String STORE_WRITES = "shadowcar.diff.store.writes";

  /** Why an exchange was not compared: the {@code reason} tag. */
  enum SkipReason {
    DISABLED("disabled"), SAMPLED_OUT("sampled_out"), ERROR("error");

    final String tag;

    SkipReason(String tag) {
      this.tag = tag;
    }
  }

  private final Map<Verdict, Counter> exchanges = new EnumMap<>(Verdict.class);
  private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class);
  private final Timer storeWrites;

  DiffMetrics(MeterRegistry registry, Supplier<StoreStatus> store, Supplier<Number> samples) {
    for (Verdict v : Verdict.values()) {
      exchanges.put(v, Counter.builder(EXCHANGES).description("Exchanges compared, by verdict")
          .tag("result", v.tag()).register(registry));
    }
    for (SkipReason r : SkipReason.values()) {
      skipped.put(r, Counter.builder(SKIPPED).description("Exchanges not compared, by reason")
          .tag("reason", r.tag).register(registry));
    }
    Gauge.builder(STORE_OK, () -> store.get().ok() ? 1 : 0).description("1 while the diff store works")
        .register(registry);
    Gauge.builder(SAMPLES, samples).description("Example exchanges held in memory").register(registry);
    storeWrites = Timer.builder(STORE_WRITES).description("Transactions written to the diff store")
        .register(registry);
  }

  void counted(Verdict verdict) {
    exchanges.get(verdict).increment();
  }

  void skipped(SkipReason reason) {
    skipped.get(reason).increment();
  }

  void storeWritten(long nanos) {
    storeWrites.record(nanos, TimeUnit.NANOSECONDS);
  }
}
