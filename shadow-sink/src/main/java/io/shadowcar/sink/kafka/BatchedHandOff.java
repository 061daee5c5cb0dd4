package io.shadowcar.sink.kafka;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from event loops to a single-thread executor in batches, so that a steady stream of items does not cost
 * a wake-up of that thread each.
 *
 * <p>Why: handing each copy to the sink's thread with {@code execute} made the thread park and wake once per copy (a
 * futex wait and a futex wake, about a third of that thread's CPU), and each event loop take the executor's lock and
 * signal it. Here an item goes into a lock-free queue, and only the producer that finds no drain pending submits one.
 * A drain that found items looks again after {@code linger} instead of giving up its turn, so under load the thread
 * wakes about once per {@code linger} and takes everything that arrived meanwhile; an item waits at most about
 * {@code linger} longer. With a zero linger every drain gives up its turn at once.
 *
 * <p>Every item offered is either run or refused exactly once: the drain and a refusal both take items off the queue,
 * and an item the executor will never run (it was shut down) is refused on whichever thread learns of it.
 *
 * @param <T> an item
 */
final class BatchedHandOff<T> {

  private final ScheduledExecutorService worker;
  private final long lingerNanos;
  private final Consumer<T> run;
  private final Consumer<T> refuse;
  private final Queue<T> ready = new ConcurrentLinkedQueue<>();
  /** True while a drain is submitted or running: producers that see it leave the waking to it. */
  private final AtomicBoolean draining = new AtomicBoolean();

  /**
   * @param worker the single thread that runs items
   * @param lingerNanos how long a drain that found items waits before it looks again
   * @param run runs one item, on the worker's thread
   * @param refuse ends an item that will never run, on any thread
   */
  BatchedHandOff(ScheduledExecutorService worker, long lingerNanos, Consumer<T> run, Consumer<T> refuse) {
    this.worker = worker;
    this.lingerNanos = lingerNanos;
    this.run = run;
    this.refuse = refuse;
  }

  /** Queues {@code item} for the worker; never waits. Safe on any thread. */
  void offer(T item) {
    ready.offer(item);
    if (draining.compareAndSet(false, true)) {
      submit(0);
    }
  }

  /**
   * Runs every item queued now, on the worker's thread (a drain; the close, before the producer goes); true when
   * there was one.
   */
  boolean runQueued() {
    boolean found = false;
    T item;
    while ((item = ready.poll()) != null) {
      found = true;
      run.accept(item);
    }
    return found;
  }

  private void drain() {
    if (runQueued() && lingerNanos > 0) {
      submit(lingerNanos); // keeps the turn: producers meanwhile only queue
    } else {
      release();
    }
  }

  /** Gives up the turn, and takes it back if an item came in after the last look. */
  private void release() {
    draining.set(false);
    if (!ready.isEmpty() && draining.compareAndSet(false, true)) {
      submit(0);
    }
  }

  private void submit(long delayNanos) {
    try {
      worker.schedule(this::drain, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      refuseQueued();
    }
  }

  /** The worker is gone: this thread holds the turn, and refuses what is queued and what comes in before it lets go. */
  private void refuseQueued() {
    do {
      T item;
      while ((item = ready.poll()) != null) {
        refuse.accept(item);
      }
      draining.set(false);
    } while (!ready.isEmpty() && draining.compareAndSet(false, true));
  }
}
