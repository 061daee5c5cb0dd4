package io.shadowcar.dashboard;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.diff.DiffAggregate;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.DiffEngine;
import io.shadowcar.diff.DiffResult;
import io.shadowcar.diff.EndpointState;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.Verdict;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns completed exchanges into dashboard results: compares each with the {@link DiffEngine}, counts it in the
 * {@link DiffAggregate}, keeps a few examples per endpoint and field, publishes an immutable {@link DashboardView}
 * for readers, tells live listeners, and writes to the {@link DiffStore} in batches from its own writer thread.
 *
 * <p>Threads: {@link #record} is meant for ONE caller thread (the one draining the exchange queue); it never throws
 * and never blocks on I/O. Readers ({@link #view}, {@link #samples}) and mutations ({@link #clear}, rules, config)
 * may come from any thread; mutations return futures completed once the store has them. Not for an event loop:
 * comparing a large body takes CPU time, and {@link #samples} takes the recorder's lock briefly.
 */
public final class DiffRecorder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiffRecorder.class);
  private static final long PUBLISH_INTERVAL_MS = 250;
  private static final long LIVE_TICK_MS = 1000;
  private static final long PRUNE_INTERVAL_MS = 60_000;

  private final Clock clock;
  private final DashboardConfig config;
  private final DiffStore store;
  private final DiffMetrics metrics;
  private final LiveFeed live = new LiveFeed();
  private final ScheduledExecutorService writer;
  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  private DiffAggregate aggregate;
  private final SampleBook book;
  private final TrendBook trends;
  private final EndpointKeys keys;
  private final List<FiledExchange> pending = new ArrayList<>();
  private final Set<String> dirty = new HashSet<>();
  private DiffConfig baseConfig;
  private long nextSampleId;
  private long nextRuleId;
  private long clearedAt;
  private long lastPublish;
  private long lastPrune;
  private boolean viewDirty;
  private boolean flushRequested;
  private long errors;

  private volatile DiffEngine engine;
  private volatile RecordingPolicy policy;
  private volatile List<IgnoreRule> rules;
  private volatile DashboardView view;

  private DiffRecorder(DiffConfig diffConfig, RecordingPolicy policy, DashboardConfig config, DiffStore store,
      MeterRegistry registry, Clock clock) {
    this.clock = clock;
    this.config = config;
    this.store = store;
    this.policy = policy;
    this.baseConfig = diffConfig;
    this.book = new SampleBook(config.samplesPerField(), config.samplesPerEndpoint(), config.samplesInMemory(),
        diffConfig.maxPathsPerEndpoint() + 2);
    this.trends = new TrendBook(config.trendMinutes());
    this.keys = new EndpointKeys(diffConfig.maxEndpoints());
    long now = clock.millis();
    StoredContent stored = store.load(config.samplesInMemory(), now);
    this.rules = stored.rules();
    DiffConfig effective = IgnoreRules.apply(diffConfig, rules);
    this.engine = new DiffEngine(effective);
    this.aggregate = DiffAggregate.restore(effective, stored.state());
    stored.state().endpoints().forEach(e -> keys.keyOf(e.endpoint()));
    stored.samples().forEach(f -> book.add(f.exchange(), f.buckets()));
    this.nextSampleId = stored.maxSampleId() + 1;
    this.nextRuleId = rules.stream().mapToLong(IgnoreRule::id).max().orElse(0) + 1;
    this.clearedAt = stored.clearedAtMillis();
    this.lastPrune = now - PRUNE_INTERVAL_MS;
    this.metrics = new DiffMetrics(registry, store::status, this::heldSamples);
    this.writer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        NamedThreadFactory.single("shadowcar-diff-store").background());
    publish(now);
    long flushMs = config.flushInterval().toMillis();
    writer.scheduleWithFixedDelay(this::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
    writer.scheduleWithFixedDelay(this::publishIfDirty, PUBLISH_INTERVAL_MS, PUBLISH_INTERVAL_MS,
        TimeUnit.MILLISECONDS);
    writer.scheduleWithFixedDelay(() -> live.tick(clock.millis()), LIVE_TICK_MS, LIVE_TICK_MS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the store under {@code dataDir} ({@code diff.db}; null or {@code storeEnabled=false}: memory only), restores
   * what it holds and starts the writer thread. Blocks on the store: call it at start-up, not on an event loop.
   */
  public static DiffRecorder start(DiffConfig diffConfig, RecordingPolicy policy, DashboardConfig config,
      Path dataDir, MeterRegistry registry) {
    return start(diffConfig, policy, config, dataDir, registry, Clock.systemUTC());
  }

  static DiffRecorder start(DiffConfig diffConfig, RecordingPolicy policy, DashboardConfig config, Path dataDir,
      MeterRegistry registry, Clock clock) {
    DiffStore store = dataDir == null || !config.storeEnabled() ? DiffStore.disabled()
        : DiffStore.open(dataDir, config.samplesPerField(), config.samplesPerEndpoint());
    return new DiffRecorder(diffConfig, policy, config, store, registry, clock);
  }

  /** Compares and counts one exchange. Call from one thread; never throws, never waits for I/O. */
  public void record(ExchangeSample sample) {
    count(sample, null);
  }

  /** Counts what a diff worker compared, like {@link #record} (same thread rule); its differences stand as they are. */
  public void recordResult(DiffResult result, ExchangeSample sample) {
    count(sample, Objects.requireNonNull(result, "result"));
  }

  private void count(ExchangeSample sample, DiffResult computed) {
    try {
      RecordingPolicy p = policy;
      if (!p.enabled()) {
        metrics.skipped(DiffMetrics.SkipReason.DISABLED);
        return;
      }
      if (p.samplePercent() < 100 && ThreadLocalRandom.current().nextDouble(100) >= p.samplePercent()) {
        metrics.skipped(DiffMetrics.SkipReason.SAMPLED_OUT);
        return;
      }
      DiffResult result = computed != null ? computed : engine.compare(sample);
      metrics.counted(ingest(sample, result, clock.millis()));
    } catch (RuntimeException e) {
      metrics.skipped(DiffMetrics.SkipReason.ERROR);
      if (Long.bitCount(++errors) == 1) { // the 1st, 2nd, 4th, 8th... failure: visible, never a flood
        LOG.error("diff of request {} failed ({} so far)", sample == null ? null : sample.request().requestId(),
            errors, e);
      }
    }
  }

  private Verdict ingest(ExchangeSample sample, DiffResult result, long now) {
    lock.lock();
    try {
      Verdict verdict = aggregate.ingest(result);
      String endpoint = keys.keyOf(result.endpoint());
      trends.count(endpoint, verdict, now);
      StoredExchange x = StoredExchange.of(nextSampleId++, now, endpoint, verdict, sample, result,
          config.sampleBodyBytes());
      Set<String> entered = book.add(x, SampleBook.bucketsOf(x));
      if (!entered.isEmpty() && store.status().ok()) {
        pending.add(new FiledExchange(x, entered));
        if (pending.size() > 2 * config.samplesInMemory()) {
          dropReplacedFromPending();
        }
      }
      dirty.add(endpoint);
      live.count(verdict, endpoint);
      viewDirty = true;
      if (now - lastPublish >= PUBLISH_INTERVAL_MS) {
        publish(now);
      }
      if (pending.size() >= config.flushBatch() && !flushRequested) {
        requestFlushIfStillHeld();
      }
      return verdict;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes now when the examples waiting for the store are still held: under steady traffic each new example pushes
   * out an older one of its bucket, and writing a batch of examples the book already dropped cost the store a
   * transaction per batch (40 a second at 20 k exchanges a second) for a few dozen rows each. Those are dropped here;
   * when fewer than half the batch remain, the flush tick writes them. Each drop pass covers at least half a batch of
   * new examples, so its cost per exchange stays constant. Called under the lock.
   */
  private void requestFlushIfStillHeld() {
    dropReplacedFromPending();
    if (pending.size() >= Math.max(1, config.flushBatch() / 2)) {
      flushRequested = true;
      writer.execute(this::flush);
    }
  }

  /** Forgets the examples waiting for the store that the book has since dropped: nothing would show them. */
  private void dropReplacedFromPending() {
    pending.removeIf(f -> !book.holds(f.exchange().id()));
  }

  /** The latest published view; at most a quarter of a second old. */
  public DashboardView view() {
    return view;
  }

  /**
   * The examples kept for an endpoint's field key ({@code body.items[*].price}), or for {@code #different} / {@code
   * #same}; newest first, only those recorded at or after {@code sinceMillis}.
   */
  public List<StoredExchange> samples(String endpoint, String bucket, long sinceMillis) {
    lock.lock();
    try {
      return book.samples(endpoint, bucket, sinceMillis);
    } finally {
      lock.unlock();
    }
  }

  /** How many examples each bucket of an endpoint holds. */
  public Map<String, Integer> sampleCounts(String endpoint) {
    lock.lock();
    try {
      return book.counts(endpoint);
    } finally {
      lock.unlock();
    }
  }

  public StoreStatus storeStatus() {
    return store.status();
  }

  /** Listens to live events on the writer thread (the listener must not block); run the result to stop. */
  public Runnable subscribe(Consumer<LiveEvent> listener) {
    return live.subscribe(listener);
  }

  /** Forgets every result (ignore rules stay); completes once the store has forgotten them too. */
  public CompletableFuture<Void> clear() {
    long now = clock.millis();
    lock.lock();
    try {
      aggregate.clear();
      book.clear();
      trends.clear();
      keys.clear();
      pending.clear();
      dirty.clear();
      clearedAt = now;
      publish(now);
    } finally {
      lock.unlock();
    }
    return onWriter(() -> store.clear(now)).thenRun(() -> live.emit(LiveEvent.change(LiveEvent.CLEAR, now)));
  }

  /** Adds an ignore rule (from now on); completes with its id once stored. */
  public CompletableFuture<IgnoreRule> addRule(IgnoreRule.Kind kind, String pattern, String endpoint) {
    long now = clock.millis();
    IgnoreRule rule;
    lock.lock();
    try {
      rule = new IgnoreRule(nextRuleId, kind, pattern, endpoint, now);
      nextRuleId++;
      List<IgnoreRule> more = new ArrayList<>(rules);
      more.add(rule);
      applyRules(more, now);
    } finally {
      lock.unlock();
    }
    return onWriter(() -> store.addRule(rule)).thenApply(v -> {
      live.emit(LiveEvent.change(LiveEvent.RULES, now));
      return rule;
    });
  }

  /** Removes an ignore rule; completes with false when there was none with this id. */
  public CompletableFuture<Boolean> removeRule(long id) {
    long now = clock.millis();
    lock.lock();
    try {
      List<IgnoreRule> fewer = new ArrayList<>(rules);
      if (!fewer.removeIf(r -> r.id() == id)) {
        return CompletableFuture.completedFuture(false);
      }
      applyRules(fewer, now);
    } finally {
      lock.unlock();
    }
    return onWriter(() -> store.removeRule(id)).thenApply(v -> {
      live.emit(LiveEvent.change(LiveEvent.RULES, now));
      return true;
    });
  }

  /** Swaps the comparison config (thresholds, rules, templates); counters are kept and judged by the new one. */
  public void updateConfig(DiffConfig newConfig) {
    lock.lock();
    try {
      baseConfig = newConfig;
      applyRules(rules, clock.millis());
    } finally {
      lock.unlock();
    }
  }

  /** Switches comparing on or off, or changes the share compared; takes effect with the next exchange. */
  public void updatePolicy(RecordingPolicy newPolicy) {
    lock.lock();
    try {
      policy = newPolicy;
      publish(clock.millis());
    } finally {
      lock.unlock();
    }
  }

  /** Writes what is pending and stops the writer; the store is closed. Results recorded afterwards are not kept. */
  @Override
  public void close() {
    writer.execute(this::flush);
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("diff store writer did not finish within 10 s; the last results may be lost");
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  private void applyRules(List<IgnoreRule> newRules, long now) {
    DiffConfig effective = IgnoreRules.apply(baseConfig, newRules);
    rules = List.copyOf(newRules);
    engine = new DiffEngine(effective);
    aggregate = DiffAggregate.restore(effective, aggregate.export());
    publish(now);
  }

  private void publish(long now) {
    view = new DashboardView(aggregate.snapshot(), trends.snapshot(now), engine.config(), policy, rules, clearedAt,
        now);
    viewDirty = false;
    lastPublish = now;
  }

  private void publishIfDirty() {
    lock.lock();
    try {
      if (viewDirty) {
        publish(clock.millis());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs on the writer thread: takes what changed under the lock, writes it without. */
  private void flush() {
    long now = clock.millis();
    StoreBatch batch;
    lock.lock();
    try {
      flushRequested = false;
      dropReplacedFromPending();
      List<FiledExchange> samples = new ArrayList<>(pending);
      pending.clear();
      List<EndpointState> states = new ArrayList<>();
      if (!dirty.isEmpty()) {
        for (EndpointState s : aggregate.export().endpoints()) {
          if (dirty.contains(s.endpoint())) {
            states.add(s);
          }
        }
        dirty.clear();
      }
      batch = new StoreBatch(states, samples);
    } finally {
      lock.unlock();
    }
    long started = System.nanoTime();
    if (store.write(batch)) {
      metrics.storeWritten(System.nanoTime() - started);
    }
    if (now - lastPrune >= PRUNE_INTERVAL_MS) {
      lastPrune = now;
      store.prune(now - config.retention().toMillis());
    }
  }

  private CompletableFuture<Void> onWriter(Runnable work) {
    try {
      return CompletableFuture.runAsync(work, writer);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      return CompletableFuture.completedFuture(null);
    }
  }

  private int heldSamples() {
    lock.lock();
    try {
      return book.size();
    } finally {
      lock.unlock();
    }
  }
}
