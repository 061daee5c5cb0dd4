package io.shadowcar.templates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-"threaded" scheduler driven by the test: {@code execute} runs the task at once on the caller's thread,
 * {@code schedule} queues it until {@link #advance} moves the clock past its due time. Its {@link #clock()} shows the
 * same time, so debounce tests need no sleeping.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private final class Task implements ScheduledFuture<Object> {
    final Runnable body;
    final Instant due;
    final long order;
    boolean cancelled;
    boolean done;

    Task(Runnable body, Instant due, long order) {
      this.body = body;
      this.due = due;
      this.order = order;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(now, due));
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      cancelled = !done;
      return cancelled;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.order));
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private long sequence;
  private boolean shutdown;

  Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
  }

  /** Moves time forward, running every task that falls due on the way, at its due time. */
  void advance(Duration by) {
    Instant end = now.plus(by);
    while (!queue.isEmpty() && !queue.peek().due.isAfter(end)) {
      Task task = queue.poll();
      if (task.cancelled) {
        continue;
      }
      now = task.due;
      task.done = true;
      task.body.run();
    }
    now = end;
  }

  /** Timers still waiting (cancelled ones excluded). */
  int waiting() {
    return (int) queue.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public void execute(Runnable command) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    command.run();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task task = new Task(command, now.plusNanos(unit.toNanos(delay)), sequence++);
    queue.add(task);
    return task;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return new ArrayList<>();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
