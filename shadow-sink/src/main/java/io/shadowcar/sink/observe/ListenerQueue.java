package io.shadowcar.sink.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.common.concurrent.SerialWorker;
import io.shadowcar.sink.SinkMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's queue and thread. {@link #offer} takes a slot and the exchange's bytes, or drops and counts; the
 * listener runs on thread {@code shadowcar-exchange-NAME} and gives both back when done. The worker's own queue is
 * unbounded only in type: the counters here bound what enters it. Under a steady stream the event loops that offer
 * never wake the thread (see {@link SerialWorker}).
 */
final class ListenerQueue {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerQueue.class);

  private final ListenerRegistration registration;
  private final SerialWorker worker;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Counter queueFull;
  private final Counter bytesFull;

  ListenerQueue(ListenerRegistration registration, MeterRegistry registry) {
    this.registration = registration;
    // shadow work: at the lower priority of BackgroundPriority, behind the loops that serve callers
    this.worker = new SerialWorker(NamedThreadFactory.single("shadowcar-exchange-" + registration.name()).background());
    this.queueFull = dropCounter(registry, SinkMetrics.REASON_QUEUE_FULL);
    this.bytesFull = dropCounter(registry, SinkMetrics.REASON_BYTES_FULL);
  }

  private Counter dropCounter(MeterRegistry registry, String reason) {
    if (registration.droppedMetric() != null) {
      return Counter.builder(registration.droppedMetric()).tag(SinkMetrics.TAG_REASON, reason).register(registry);
    }
    return Counter.builder(SinkMetrics.LISTENER_DROPPED)
        .tag(SinkMetrics.TAG_LISTENER, registration.name())
        .tag(SinkMetrics.TAG_REASON, reason)
        .register(registry);
  }

  /** The registration's name. */
  String name() {
    return registration.name();
  }

  /** Never waits: queues the exchange for the listener, or drops and counts it. */
  void offer(CompletedExchange exchange) {
    if (queued.incrementAndGet() > registration.maxQueued()) {
      queued.decrementAndGet();
      queueFull.increment();
      return;
    }
    long bytes = exchange.bodyBytes();
    if (queuedBytes.addAndGet(bytes) > registration.maxQueuedBytes()) {
      leave(bytes);
      bytesFull.increment();
      return;
    }
    if (!worker.execute(() -> deliver(exchange, bytes))) {
      leave(bytes); // closed
    }
  }

  private void deliver(CompletedExchange exchange, long bytes) {
    try {
      registration.listener().onExchange(exchange);
    } catch (RuntimeException e) {
      LOG.warn("exchange listener {} failed for {}", registration.name(), exchange.request().requestId(), e);
    } finally {
      leave(bytes);
    }
  }

  private void leave(long bytes) {
    queuedBytes.addAndGet(-bytes);
    queued.decrementAndGet();
  }

  /** Stops the thread once what is queued has been handed over; later offers are ignored. */
  void close() {
    worker.close();
  }

  /** Blocks until the thread ended after {@link #close()}, at most {@code nanos}; true when it did. */
  boolean awaitClosed(long nanos) throws InterruptedException {
    return worker.awaitClosed(nanos);
  }
}
