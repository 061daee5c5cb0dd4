package io.shadowcar.common.concurrent;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One named daemon thread that runs the tasks handed to it, in the order they came, for producers that must never wait
 * (event loops).
 *
 * <p>Why not a single-thread {@code ThreadPoolExecutor}: its worker, keeping up with a steady stream, finds the queue
 * empty after every task and parks, so every task costs the producer a futex wake and the worker a sleep and a wake-up;
 * with the diff on, that was about 7 % of the sidecar's CPU. Here a producer wakes the worker only when it has gone to
 * sleep. A worker whose queue runs dry first naps ({@value #NAPS} naps of {@value #NAP_MICROS} µs, which no producer
 * interrupts) and takes what arrived meanwhile in one go; only after that many empty naps does it sleep until the next
 * task, so an idle worker costs nothing and a task waits at most about a millisecond more than it did.
 */
public final class SerialWorker {

  static final int NAPS = 2;
  static final long NAP_MICROS = 1_000;

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private final AtomicBoolean started = new AtomicBoolean();
  /** Set by the worker before it sleeps and checks the queue once more; producers that see it wake the worker. */
  private volatile boolean sleeping;
  private volatile boolean closed;

  /** A worker whose thread, named {@code name}, starts with the first task. */
  public SerialWorker(String name) {
    this(NamedThreadFactory.single(name));
  }

  /** A worker whose thread {@code threads} makes (e.g. one at {@link NamedThreadFactory#background} priority). */
  public SerialWorker(NamedThreadFactory threads) {
    this.thread = threads.newThread(this::work);
  }

  /**
   * Queues {@code task}; never waits. Returns false, and does not queue it, once {@link #close()} was called. A task
   * offered at the very moment of the close may be queued after the thread's last look and never run: nothing that
   * must happen may depend on it.
   */
  public boolean execute(Runnable task) {
    if (closed) {
      return false;
    }
    tasks.offer(task);
    if (!started.get() && started.compareAndSet(false, true)) {
      thread.start();
    } else if (sleeping) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** Refuses new tasks; the thread ends once it has run those already queued. Returns at once. */
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }

  /** Blocks until the thread ended after {@link #close()}, at most {@code nanos}; true when it did. */
  public boolean awaitClosed(long nanos) throws InterruptedException {
    TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
    return !thread.isAlive();
  }

  /** Whether the worker sleeps until the next task (for tests). */
  boolean sleeping() {
    return sleeping;
  }

  private void work() {
    int emptyNaps = 0;
    while (true) {
      Runnable task = tasks.poll();
      if (task != null) {
        emptyNaps = 0;
        run(task);
      } else if (closed) {
        if (tasks.isEmpty()) {
          return;
        }
      } else if (Thread.interrupted()) {
        // A task that left its thread interrupted would make every park return at once: the idle worker would spin.
        continue;
      } else if (emptyNaps < NAPS) {
        emptyNaps++;
        LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(NAP_MICROS));
      } else {
        // Dekker-style: the flag is written before the queue is read again, and a producer writes the queue before it
        // reads the flag, so either this check sees its task or the producer sees the flag and wakes the thread.
        sleeping = true;
        if (tasks.isEmpty() && !closed) {
          LockSupport.park(this);
        }
        sleeping = false;
        emptyNaps = 0;
      }
    }
  }

  private void run(Runnable task) {
    Thread.interrupted(); // each task starts uninterrupted, whatever the one before left (as a thread pool's would)
    try {
      task.run();
    } catch (Throwable t) { // reported as an uncaught one would be, but the thread goes on to run every later task
      thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
    }
  }
}
