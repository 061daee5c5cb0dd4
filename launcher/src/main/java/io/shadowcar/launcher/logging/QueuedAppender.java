package io.shadowcar.launcher.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.shadowcar.common.concurrent.SerialWorker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands each event to another appender on a thread of its own ({@code shadowcar-log-NAME}), for loggers written from
 * event loops (the access log): the caller never waits, and when {@code capacity} events are already waiting the
 * event is dropped and counted ({@link #dropped()}).
 *
 * <p>Why not logback's {@code AsyncAppender}: its worker waits on a blocking queue and is woken for every line it keeps
 * up with, a futex wake on the event loop that logs and a sleep and wake-up on the worker, per request: with the
 * access log on, 16 % of the sidecar's CPU. A {@link SerialWorker} is woken only when it sleeps.
 */
public final class QueuedAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private static final long FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Appender<ILoggingEvent> target;
  private final int capacity;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private SerialWorker worker;

  /**
   * @param target started and stopped with this appender; called on the worker thread only
   * @param capacity events that may wait before new ones are dropped
   */
  public QueuedAppender(Appender<ILoggingEvent> target, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: at least 1)");
    }
    this.target = target;
    this.capacity = capacity;
  }

  @Override
  public void start() {
    if (!target.isStarted()) {
      target.start();
    }
    worker = new SerialWorker("shadowcar-log-" + getName());
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    // The thread name, formatted message and MDC are read now, on the thread that logged.
    event.prepareForDeferredProcessing();
    if (waiting.incrementAndGet() > capacity) {
      waiting.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    if (!worker.execute(() -> write(event))) {
      waiting.decrementAndGet();
      dropped.incrementAndGet();
    }
  }

  private void write(ILoggingEvent event) {
    try {
      target.doAppend(event);
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Events dropped because {@code capacity} were waiting (or the appender was stopping). */
  public long dropped() {
    return dropped.get();
  }

  /** Writes what is waiting (for up to a second), then stops the target. */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    worker.close();
    try {
      if (!worker.awaitClosed(FLUSH_NANOS)) {
        addWarn(waiting.get() + " events not written within a second of the stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    target.stop();
  }
}
