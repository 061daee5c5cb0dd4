package io.shadowcar.common.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Daemon threads with a name that says whose they are ({@code shadowcar-kafka-sink}, {@code shadowcar-checks-2}), so a
 * thread dump at 3 a.m. reads without a map. Daemon because every owner shuts its executor down itself and no such
 * thread may keep a stopping JVM alive.
 */
public final class NamedThreadFactory implements ThreadFactory {

  private final String name;
  private final boolean numbered;
  private final Consumer<Thread> onNewThread;
  private final boolean background;
  private final AtomicInteger count = new AtomicInteger();

  private NamedThreadFactory(String name, boolean numbered, Consumer<Thread> onNewThread, boolean background) {
    this.name = name;
    this.numbered = numbered;
    this.onNewThread = onNewThread;
    this.background = background;
  }

  /** Threads named exactly {@code name}: for single-thread executors. */
  public static NamedThreadFactory single(String name) {
    return new NamedThreadFactory(name, false, thread -> {}, false);
  }

  /** Like {@link #single}, and tells {@code onNewThread} about each thread (e.g. to assert "on my thread" later). */
  public static NamedThreadFactory single(String name, Consumer<Thread> onNewThread) {
    return new NamedThreadFactory(name, false, onNewThread, false);
  }

  /** Threads named {@code prefix-1}, {@code prefix-2}, ...: for pools. */
  public static NamedThreadFactory numbered(String prefix) {
    return new NamedThreadFactory(prefix, true, thread -> {}, false);
  }

  /** The same threads, each lowering its own priority when it starts ({@link BackgroundPriority}): for shadow work. */
  public NamedThreadFactory background() {
    return new NamedThreadFactory(name, numbered, onNewThread, true);
  }

  @Override
  public Thread newThread(Runnable task) {
    Runnable body = background ? BackgroundPriority.lowering(task) : task;
    Thread thread = new Thread(body, numbered ? name + "-" + count.incrementAndGet() : name);
    thread.setDaemon(true);
    onNewThread.accept(thread);
    return thread;
  }
}
