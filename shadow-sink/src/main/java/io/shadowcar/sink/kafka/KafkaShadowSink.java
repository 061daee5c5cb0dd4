package io.shadowcar.sink.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.sink.DroppedCopiesLog;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.SinkAdmission;
import io.shadowcar.sink.SinkContext;
import io.shadowcar.sink.SinkMetrics;
import io.shadowcar.sink.SinkStatus;
import io.shadowcar.sink.kafka.ExchangeRecordFormat.PrimaryError;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeSettings;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each copy, with the primary's response when it comes in time, to a Kafka topic for fleet-wide diff
 * workers (record layout: {@link ExchangeRecordFormat}; key: the request id, so copies spread evenly over partitions
 * and a worker can de-duplicate).
 *
 * <p><b>Threading.</b> {@link #send} runs on the caller's event loop and only counts, registers a callback on the
 * primary's response and hands the copy to the sink's own thread ({@value #THREAD_NAME}), in batches
 * ({@link BatchedHandOff}: woken once per copy, that thread spent a third of its time going to sleep and waking).
 * That thread creates the producer, encodes records and calls {@link KafkaProducer#send}, which with
 * {@code max.block.ms=0} never waits for metadata or buffer space: it fails at once. So the event loop never runs
 * Kafka code, JSON encoding or compression.
 *
 * <p><b>Bounds and outcomes.</b> Admission is the shared {@link SinkAdmission}: at most {@code maxInflight} copies
 * are between {@link #send} and the broker's answer (over it: {@code inflight_full}); the producer holds at most
 * {@code bufferMemoryBytes}. Each copy ends in exactly one counted outcome: {@code copies{sink=kafka,result=sent}}
 * (acknowledged), {@code copies{result=failed}} (accepted by the producer, then lost: broker gone past the delivery
 * timeout), or {@code dropped{reason}}: {@code sink_down} (producer not started, no metadata for the topic, buffer
 * full, closed), {@code body_too_large} (record over {@code maxRequestBytes}), {@code inflight_full}; every drop and
 * failure is also logged, at most once a minute per reason ({@link DroppedCopiesLog}). The tee's hold on the event
 * is released as soon as the record is handed to the producer. At
 * start-up the sink logs how large a request body fits a record ({@link ExchangeRecordFormat#maxBodyBytes(int, int)})
 * and warns when the tee copies larger ones.
 *
 * <p><b>Metrics</b> besides the shared ones: the producer's own ({@code kafka_producer_*}, bound when it is created,
 * removed when it closes) and {@value SinkMetrics#KAFKA_SEND}, the time from {@code send} to the broker's answer
 * ({@link KafkaSinkMeters}).
 *
 * <p><b>The primary's response.</b> A copy waits for it at most {@code primaryWait} (a callback and a timer, never a
 * blocked thread; the primary is never delayed), then is published with it, or without it and a
 * {@code primaryError}. While waiting it keeps its hold, so the tee's byte budget bounds waiting copies too. Every
 * admitted copy is also reported to the {@link ExchangeObservers} (request and primary, no shadow response).
 *
 * <p>Not for delivering copies to a shadow service (that is the HTTP sink), nor for data that must not be lost: it
 * drops under pressure by design.
 */
public final class KafkaShadowSink implements ShadowSink {

  /** Name of the sink's one thread, where all Kafka calls and encoding happen. */
  public static final String THREAD_NAME = "shadowcar-kafka-sink";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaShadowSink.class);
  private static final long METADATA_POLL_MS = 100;
  private static final long MAX_HAND_OFF_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final KafkaShadowSinkConfig config;
  private final SinkAdmission admission;
  private final ExchangeObservers observers;
  private final ScheduledThreadPoolExecutor worker;
  /** Copies ready to publish, on their way to the worker in batches. */
  private final BatchedHandOff<ReadyCopy> readyCopies;
  private final Promise<Void> started = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Accepting accepting = new Accepting();
  private final DroppedCopiesLog lossLog;
  private final KafkaSinkMeters meters;
  private final HeaderMask mask;
  private volatile Thread workerThread;
  /** Set once on the worker thread; read on event loops to drop early while there is no producer. */
  private volatile Producer<String, byte[]> producer;

  /**
   * Starts the sink: returns at once and creates the producer on the sink's thread (creating it resolves the
   * bootstrap hosts). Copies sent before it is up and has the topic's metadata are dropped as {@code sink_down};
   * {@link #started()} says when it is up. Safe to call on an event loop.
   *
   * @throws IllegalArgumentException if the config is not {@linkplain KafkaShadowSinkConfig#enabled() enabled}
   */
  public KafkaShadowSink(KafkaShadowSinkConfig config, SinkContext context) {
    this(config, context.registry(), context.observers(), context.maxBodyBytes(), context.maxCapturedResponseBytes(),
        context.mask());
  }

  /** A sink that reports to no exchange listener, for a tee with the default body caps. */
  public KafkaShadowSink(KafkaShadowSinkConfig config, MeterRegistry registry) {
    this(config, registry, ExchangeObservers.none(), TeeSettings.MAX_BODY_BYTES.defaultValue(),
        TeeSettings.MAX_CAPTURED_RESPONSE_BYTES.defaultValue(), HeaderMask.none());
  }

  private KafkaShadowSink(KafkaShadowSinkConfig config, MeterRegistry registry, ExchangeObservers observers,
      int teeMaxBodyBytes, int teeMaxCapturedResponseBytes, HeaderMask mask) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("bootstrap: '' (expected: host:port list; an empty bootstrap means no sink)");
    }
    this.config = config;
    this.observers = observers;
    this.mask = mask;
    this.lossLog = DroppedCopiesLog.of(() -> "kafka sink",
        Map.of(DropReason.BODY_TOO_LARGE, "record over " + config.maxRecordBytes() + " bytes"), LOG::warn);
    this.admission = new SinkAdmission(KafkaSinkProvider.TAG, config.maxInflight(), 0, registry, lossLog);
    this.meters = new KafkaSinkMeters(registry);
    BodyLimitLog.atStart(config, teeMaxBodyBytes, readsPrimaryResponse() ? teeMaxCapturedResponseBytes : 0);
    this.worker = new ScheduledThreadPoolExecutor(1,
        NamedThreadFactory.single(THREAD_NAME, thread -> workerThread = thread).background());
    // Its queue holds at most a timer per in-flight copy, so maxInflight bounds it, plus one drain of the ready
    // copies (which maxInflight bounds too) and two periodic tasks (the drop log, the producer's meters) that shutdown
    // cancels. Timers and a drain still due at close still run, so every waiting copy reaches its outcome.
    worker.setRemoveOnCancelPolicy(true);
    // Copies ready to publish are not tasks of their own: they reach the worker in batches, at most a millisecond (or
    // the producer's own linger, if shorter) after they are ready.
    this.readyCopies = new BatchedHandOff<>(worker, Math.min(config.linger().toNanos(), MAX_HAND_OFF_LINGER_NANOS),
        ready -> ready.copy().publish(ready.primary(), ready.error()),
        ready -> ready.copy().drop(DropReason.SINK_DOWN));
    worker.execute(this::createProducer);
    long flushMs = DroppedCopiesLog.INTERVAL.toMillis();
    worker.scheduleWithFixedDelay(lossLog::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public String tag() {
    return KafkaSinkProvider.TAG;
  }

  /** Records carry the primary's response unless the sink is set not to wait for it. */
  @Override
  public boolean readsPrimaryResponse() {
    return !config.primaryWait().isZero();
  }

  /**
   * Completes once the producer is up and knows the topic's partitions; fails if the producer cannot be created
   * (bad settings, unresolvable bootstrap). Stays pending while no broker answers. For tests and readiness logs.
   */
  public Future<Void> started() {
    return started.future();
  }

  @Override
  public String description() {
    return "kafka sink: topic " + config.topic() + " on " + config.bootstrap() + "; maxInflight " + config.maxInflight()
        + ", primaryWait " + config.primaryWait().toMillis() + " ms, maxRequestBytes " + config.maxRecordBytes()
        + ", acks " + config.acks();
  }

  /** {@code starting} until the producer knows the topic, then {@code up}, {@code refusing} or {@code down}. */
  @Override
  public SinkStatus status() {
    String state;
    if (closing.get()) {
      state = "closed";
    } else if (started.future().failed()) {
      state = "down";
    } else if (!started.future().isComplete()) {
      state = "starting";
    } else {
      state = accepting.refusing.get() ? "refusing" : "up";
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("inflight", admission.inflight() + " of " + config.maxInflight());
    details.put("maxRequestBytes", String.valueOf(config.maxRecordBytes()));
    if (started.future().failed()) {
      details.put("lastFailure", DroppedCopiesLog.describe(started.future().cause()));
    }
    return new SinkStatus(tag(), state, config.topic() + "@" + config.bootstrap(), details);
  }

  /** Copies between {@link #send} and their outcome right now. */
  public int inflight() {
    return admission.inflight();
  }

  @Override
  public void send(TeeEvent event) {
    long timestamp = System.currentTimeMillis();
    if (closing.get() || producer == null) {
      admission.drop(event, DropReason.SINK_DOWN);
      return;
    }
    SinkAdmission.Permit permit = admission.admit(event);
    if (permit == null) {
      return;
    }
    observers.observe(tag(), event, null);
    Copy copy = new Copy(permit, timestamp);
    try {
      if (config.primaryWait().isZero()) {
        copy.publishLater(null, PrimaryError.NOT_AWAITED);
        return;
      }
      ScheduledFuture<?> timer = worker.schedule(
          () -> copy.publishNow(null, PrimaryError.TIMEOUT), config.primaryWait().toMillis(), TimeUnit.MILLISECONDS);
      event.primaryResponse().onComplete(result -> {
        timer.cancel(false);
        copy.publishLater(result);
      });
    } catch (RuntimeException e) {
      // Only a rejected task can land here (the sink closed meanwhile); the copy must still end counted.
      copy.drop(DropReason.SINK_DOWN);
    }
  }

  /**
   * Stops taking copies, flushes what the producer holds for at most {@code closeTimeout} and closes it, all on the
   * sink's thread; copies still waiting for their primary's response are dropped as {@code sink_down}. Safe to call on
   * an event loop and more than once.
   */
  @Override
  public Future<Void> close() {
    if (closing.compareAndSet(false, true)) {
      worker.execute(() -> {
        readyCopies.runQueued(); // copies ready before the close are published, as they would have been a moment later
        Producer<String, byte[]> p = producer;
        if (p != null) {
          p.close(config.closeTimeout());
        }
        meters.close();
        started.tryFail("closed");
        worker.shutdown();
        // A sink built after this one (new settings at runtime) registers its own gauge.
        admission.close();
        closed.complete();
      });
    }
    return closed.future();
  }

  private void createProducer() {
    try {
      producer = new KafkaProducer<>(config.producerProperties(THREAD_NAME + "-" + config.topic()));
    } catch (RuntimeException e) {
      LOG.error("Kafka shadow sink is down: cannot create a producer for {}: {}", config.bootstrap(), e.toString());
      started.tryFail(e);
      return;
    }
    meters.bindProducer(producer, worker);
    awaitTopicMetadata();
  }

  /** Asks for the topic's metadata without blocking (max.block.ms=0) until it is there, to complete started(). */
  private void awaitTopicMetadata() {
    if (closing.get()) {
      return;
    }
    try {
      if (!producer.partitionsFor(config.topic()).isEmpty()) {
        started.tryComplete();
        return;
      }
    } catch (RuntimeException e) {
      // No metadata yet (no broker answered, or the topic does not exist): the request is on its way; look again.
    }
    try {
      worker.schedule(this::awaitTopicMetadata, METADATA_POLL_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // Closed meanwhile.
    }
  }

  /** Logs when the producer starts refusing copies and when it takes them again: one line per change, not per copy. */
  private final class Accepting {
    private final AtomicBoolean refusing = new AtomicBoolean();

    void refused(Exception failure) {
      if (refusing.compareAndSet(false, true)) {
        LOG.warn("Kafka shadow sink is dropping copies for {} at {}: {}", config.topic(), config.bootstrap(),
            failure.toString());
      }
    }

    void accepted() {
      if (refusing.compareAndSet(true, false)) {
        LOG.info("Kafka shadow sink takes copies for {} again", config.topic());
      }
    }
  }

  /** A copy whose primary's response came (or will not be awaited), for the worker to publish. */
  private record ReadyCopy(Copy copy, CapturedResponse primary, PrimaryError error) {
  }

  /** One copy on its way: publishes once; its permit gives it exactly one outcome and one release of the hold. */
  private final class Copy {
    private final SinkAdmission.Permit permit;
    private final TeeEvent event;
    private final long timestamp;
    private final AtomicBoolean published = new AtomicBoolean();

    Copy(SinkAdmission.Permit permit, long timestamp) {
      this.permit = permit;
      this.event = permit.event();
      this.timestamp = timestamp;
    }

    /** From an event loop: the primary's response completed. */
    void publishLater(AsyncResult<CapturedResponse> primary) {
      if (primary.succeeded() && primary.result() != null) {
        publishLater(primary.result(), null);
      } else {
        publishLater(null, PrimaryError.FAILED);
      }
    }

    void publishLater(CapturedResponse primary, PrimaryError error) {
      if (published.compareAndSet(false, true)) {
        readyCopies.offer(new ReadyCopy(this, primary, error));
      }
    }

    /** On the sink's thread (the wait timed out). */
    void publishNow(CapturedResponse primary, PrimaryError error) {
      if (published.compareAndSet(false, true)) {
        publish(primary, error);
      }
    }

    /** On the sink's thread. */
    private void publish(CapturedResponse primary, PrimaryError error) {
      Producer<String, byte[]> p = producer;
      if (p == null || closed.future().isComplete()) {
        drop(DropReason.SINK_DOWN);
        return;
      }
      ProducerRecord<String, byte[]> record;
      try {
        byte[] value = ExchangeRecordFormat.encode(event, timestamp, primary, error, mask);
        record = new ProducerRecord<>(config.topic(), null, timestamp, event.requestId(), value,
            List.of(new RecordHeader(ExchangeRecordFormat.FORMAT_HEADER,
                ExchangeRecordFormat.FORMAT_V1.getBytes(StandardCharsets.US_ASCII))));
      } catch (RuntimeException e) {
        LOG.warn("Kafka shadow sink could not encode copy {}: {}", event.requestId(), e.toString());
        drop(DropReason.SINK_DOWN);
        return;
      }
      long sendStart = System.nanoTime();
      try {
        p.send(record, (metadata, failure) -> {
          if (failure == null) {
            meters.acked(sendStart);
            permit.sent();
          } else if (Thread.currentThread() == workerThread) {
            // Called back inside send(): refused before it was accepted (no metadata, buffer full, too large).
            refused(failure);
          } else {
            meters.failed(sendStart);
            permit.failed(failure);
          }
        });
      } catch (RuntimeException e) {
        // Thrown rather than called back: the producer is closed, or a serializer or interceptor failed.
        refused(e);
      } finally {
        // The record's bytes are the producer's now (or gone): the tee's budget need not count the event any more.
        permit.releaseHold();
      }
      if (!permit.ended()) {
        accepting.accepted();
      }
    }

    private void refused(Exception failure) {
      if (failure instanceof RecordTooLargeException) {
        drop(DropReason.BODY_TOO_LARGE);
      } else {
        accepting.refused(failure);
        drop(DropReason.SINK_DOWN);
      }
    }

    void drop(DropReason reason) {
      permit.drop(reason);
    }
  }
}
