package io.shadowcar.launcher.fleet;

import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.dashboard.DiffResultRecord;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.DiffEngine;
import io.shadowcar.diff.DiffResult;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.launcher.diff.ReplayedSample;
import io.shadowcar.launcher.replay.ExchangeConsumer;
import io.shadowcar.launcher.replay.ExchangeConsumer.TopicUnavailableException;
import io.shadowcar.launcher.replay.Pacer;
import io.shadowcar.launcher.replay.ReplayOptions.StartPosition;
import io.shadowcar.launcher.replay.RequestSender;
import io.shadowcar.launcher.replay.SkipReason;
import io.shadowcar.sink.kafka.BadRecordException;
import io.shadowcar.sink.kafka.ExchangeRecordReader;
import io.shadowcar.sink.kafka.RecordedExchange;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One diff worker: a member of the fleet's consumer group on the exchange topic. The polling thread reads a batch,
 * pauses its partitions, and for each record decodes it, waits for the rate cap and for an in-flight slot, and replays
 * the request to the candidate (and the secondary); when they answered, a comparing thread builds the sample with the
 * recorded primary response, runs the engine and publishes the result; the producer's acknowledgement frees the slot
 * and marks the record done. Offsets are committed (every second, on revocation and at the end) only up to the first
 * record not done, so every exchange gets at least one published result.
 *
 * <p>Memory is bounded by one poll plus {@code --max-inflight} exchanges; nothing queues without a slot. A failed
 * publish (after the producer's own retries) stops the worker: its record stays uncommitted, to be done again by the
 * next owner. Not for comparing in the sidecar's process (that is {@code InProcessDiff}).
 */
final class DiffWorker {

  private static final Logger LOG = LoggerFactory.getLogger(DiffWorker.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long TICK_NANOS = 100_000_000L;
  private static final long KEEP_ALIVE_NANOS = 1_000_000_000L;
  private static final long COMMIT_NANOS = 1_000_000_000L;
  private static final int MAX_POLL_RECORDS = 200;

  private final WorkerOptions options;
  private final DiffEngine engine;
  private final HeaderMask mask;
  private final ExchangeConsumer consumer;
  private final RequestSender candidate;
  private final RequestSender secondary;
  private final Pacer pacer;
  private final Semaphore slots;
  private final ThreadPoolExecutor comparing;
  private final ResultPublisher publisher;
  private final OffsetBook offsets = new OffsetBook();
  private final WorkerStats stats = new WorkerStats();
  private final ArrayDeque<ConsumerRecord<String, byte[]>> batch = new ArrayDeque<>();
  private final Set<SkipReason> logged = EnumSet.noneOf(SkipReason.class);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean aborted = new AtomicBoolean();
  private volatile String fatal;
  private long lastPollNanos;

  DiffWorker(WorkerOptions options, DiffConfig comparison, HeaderMask mask, Vertx vertx, String name) {
    this.options = options;
    this.mask = mask;
    this.engine = new DiffEngine(comparison);
    Map<String, Object> overrides = new HashMap<>();
    overrides.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.startAtEarliest() ? "earliest" : "latest");
    options.sessionTimeout().ifPresent(t -> {
      overrides.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) t.toMillis());
      overrides.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, t.toMillis() / 3));
    });
    this.consumer = new ExchangeConsumer(options.bootstrap(), options.topic(), Optional.of(options.group()),
        new StartPosition(StartPosition.Kind.COMMITTED, 0), overrides, this::onRevoked);
    this.candidate = new RequestSender(vertx, options.candidate(), options.maxInflight(), options.timeout(),
        stats.replay());
    this.secondary = options.secondary().map(url -> new RequestSender(vertx, url, options.maxInflight(),
        options.timeout(), stats.replay())).orElse(null);
    this.pacer = options.rate() > 0 ? new Pacer.FixedRate(options.rate()) : null;
    this.slots = new Semaphore(options.maxInflight());
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    // Every task holds a slot, so the queue never holds more than maxInflight: the bound is the slots, not the queue.
    this.comparing = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(options.maxInflight()), NamedThreadFactory.numbered(name + "-compare-"));
    this.publisher = new ResultPublisher(options.bootstrap(), options.resultsTopic(), name + "-results");
  }

  WorkerStats stats() {
    return stats;
  }

  int inflight() {
    return options.maxInflight() - slots.availablePermits();
  }

  /** Asks the worker to finish (within a tick): complete what is in flight, publish, commit, leave. Any thread. */
  void stop() {
    stopping.set(true);
    consumer.wakeup();
  }

  /** Stops as a crash would: nothing finished, published or committed any more; the group moves the partitions. */
  void abort() {
    aborted.set(true);
    stop();
  }

  /**
   * Joins the group and works until {@link #stop()}; returns an error when it stopped for one (a result that could
   * not be published), empty after a clean stop.
   */
  Optional<String> run() throws TopicUnavailableException, InterruptedException {
    try {
      consumer.start();
      work();
    } finally {
      finish();
    }
    return Optional.ofNullable(fatal);
  }

  private void work() throws InterruptedException {
    long lastCommit = System.nanoTime();
    ConsumerRecord<String, byte[]> head = null;
    RecordedExchange exchange = null;
    long due = 0;
    while (!stopping.get()) {
      long now = System.nanoTime();
      if (now - lastCommit >= COMMIT_NANOS) {
        commit(false);
        lastCommit = now;
      }
      if (batch.isEmpty()) {
        consumer.resumeAll();
        poll(POLL);
        continue;
      }
      if (batch.peek() != head) { // a new record, or the old one went with a revoked partition
        head = batch.peek();
        exchange = decode(head);
        if (exchange == null) {
          offsets.done(batch.poll());
          head = null;
          continue;
        }
        due = pacer == null ? now : pacer.dueNanos(exchange.timestamp(), now);
      }
      if (due - now > 0) {
        keepAlive(now);
        LockSupport.parkNanos(Math.min(due - now, TICK_NANOS));
        continue;
      }
      if (!slots.tryAcquire(TICK_NANOS, TimeUnit.NANOSECONDS)) {
        keepAlive(System.nanoTime());
        continue;
      }
      batch.poll();
      stats.replay().sending(System.nanoTime());
      replay(head, exchange);
      head = null;
    }
  }

  /** The exchange, or null after counting why it is skipped (logged once per reason). */
  private RecordedExchange decode(ConsumerRecord<String, byte[]> record) {
    try {
      RecordedExchange exchange = ExchangeRecordReader.read(record);
      if (exchange.primary().isEmpty()) {
        skip(SkipReason.NO_PRIMARY, record, "no primary response ("
            + exchange.primaryError().map(Enum::name).orElse("none given") + ")");
        return null;
      }
      return exchange;
    } catch (BadRecordException e) {
      skip(SkipReason.of(e.reason()), record, e.getMessage());
      return null;
    }
  }

  private void skip(SkipReason reason, ConsumerRecord<String, byte[]> record, String detail) {
    stats.replay().skipped(reason);
    if (logged.add(reason)) {
      LOG.warn("skipping record {}-{}@{} ({}: {}); further records skipped for this reason are only counted",
          record.topic(), record.partition(), record.offset(), reason.tag(), detail);
    }
  }

  /** Holds a slot; the slot is given back once the result is published, or the exchange ended otherwise. */
  private void replay(ConsumerRecord<String, byte[]> record, RecordedExchange exchange) {
    long start = System.nanoTime();
    Future<Call> toCandidate = timed(candidate.call(exchange, options.maxBodyBytes()), start, true);
    Future<Call> toSecondary = secondary == null ? Future.succeededFuture()
        : timed(secondary.call(exchange, options.maxBodyBytes()), start, false);
    Future.all(toCandidate, toSecondary).onComplete(both -> {
      try {
        comparing.execute(() -> compareAndPublish(record, exchange, toCandidate.result(), toSecondary.result()));
      } catch (RejectedExecutionException stopped) {
        slots.release();
      }
    });
  }

  private void compareAndPublish(ConsumerRecord<String, byte[]> record, RecordedExchange exchange, Call toCandidate,
      Call toSecondary) {
    byte[] value;
    String endpoint;
    try {
      ExchangeSample sample = ReplayedSample.of(exchange, toCandidate.result(), toCandidate.nanos(),
          toSecondary == null ? null : toSecondary.result(), toSecondary == null ? 0 : toSecondary.nanos(), mask);
      DiffResult result = engine.compare(sample);
      endpoint = result.endpoint();
      value = DiffResultRecord.encode(result, sample, System.currentTimeMillis(), options.maxBodyBytes());
    } catch (RuntimeException e) {
      // The same record would fail the same way for any worker: count it, log the first, and let it go.
      stats.countCompareError();
      if (stats.compareErrors() == 1) {
        LOG.error("comparing request {} failed; further failures are only counted", exchange.requestId(), e);
      }
      offsets.done(record);
      slots.release();
      return;
    }
    publisher.publish(endpoint, value, failure -> {
      if (failure == null) {
        stats.countPublished();
        offsets.done(record);
      } else if (!aborted.get() && fatal == null) {
        fatal = "cannot publish to " + options.resultsTopic() + ": " + failure.getMessage();
        LOG.error("{}; stopping (request {} stays uncommitted)", fatal, exchange.requestId());
        stop();
      }
      slots.release();
    });
  }

  /** Runs on the polling thread, inside poll: finish what is in flight, commit, let the partitions go. */
  private void onRevoked(Collection<TopicPartition> revoked) {
    if (aborted.get()) {
      return;
    }
    awaitIdle();
    batch.removeIf(record -> revoked.contains(OffsetBook.partition(record)));
    commit(true);
    offsets.forget(revoked);
    LOG.info("gave back {} partition(s) after finishing their exchanges in flight", revoked.size());
  }

  private void finish() throws InterruptedException {
    if (aborted.get()) {
      comparing.shutdownNow();
      publisher.close(Duration.ZERO);
      consumer.close(Duration.ZERO);
      return;
    }
    awaitIdle();
    commit(true);
    comparing.shutdown();
    consumer.close(); // leaves the group: the others take the partitions over at once
    publisher.close();
    comparing.awaitTermination(5, TimeUnit.SECONDS);
  }

  private void awaitIdle() {
    long wait = 2 * options.timeout().toMillis() + 10_000;
    try {
      if (slots.tryAcquire(options.maxInflight(), wait, TimeUnit.MILLISECONDS)) {
        slots.release(options.maxInflight());
      } else {
        LOG.warn("{} exchange(s) still in flight after {} ms; their records stay uncommitted", inflight(), wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void commit(boolean sync) {
    try {
      consumer.commit(offsets.firstOpen(), sync);
    } catch (RuntimeException e) {
      // Rebalancing or fenced: the records will be done again by the next owner; results are de-duplicated downstream.
      LOG.warn("commit failed: {}", e.getMessage());
    }
  }

  private void keepAlive(long now) {
    if (now - lastPollNanos >= KEEP_ALIVE_NANOS) {
      poll(Duration.ZERO);
    }
  }

  private void poll(Duration wait) {
    lastPollNanos = System.nanoTime();
    ConsumerRecords<String, byte[]> records;
    try {
      records = consumer.poll(wait);
    } catch (WakeupException e) {
      return; // stop() was called
    }
    if (!records.isEmpty()) {
      records.forEach(record -> {
        offsets.read(record);
        batch.add(record);
      });
      consumer.pauseAll();
    }
    long lag = consumer.lag();
    stats.replay().lag(lag < 0 ? -1 : lag + batch.size());
    stats.partitions(consumer.assignedPartitions());
  }

  private Future<Call> timed(Future<CapturedResponse> call, long start, boolean counted) {
    return call.transform(done -> {
      long nanos = System.nanoTime() - start;
      if (counted && done.succeeded()) {
        stats.replay().sent(done.result().statusCode(), nanos);
      } else if (counted) {
        stats.replay().failed(RequestSender.failureReason(done.cause()));
      }
      return Future.succeededFuture(new Call(done, nanos));
    });
  }

  /** One call's outcome and how long it took. */
  private record Call(AsyncResult<CapturedResponse> result, long nanos) {}
}
