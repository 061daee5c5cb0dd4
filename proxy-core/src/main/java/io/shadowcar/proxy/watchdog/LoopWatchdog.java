package io.shadowcar.proxy.watchdog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.shadowcar.common.concurrent.NamedThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches event loops: each runs a heartbeat task every {@link Settings#heartbeatMs}, which records how late it ran
 * ({@code shadowcar_event_loop_delay_seconds{loop}}: the time any task queued on that loop waits before it runs), and a
 * thread of the watchdog's own checks that every loop's last heartbeat is recent. A loop that ran none for
 * {@link Settings#blockedMs} is blocked: every connection on it waits. That is logged at WARN with the loop thread's
 * stack (again every {@link Settings#repeatMs} while it lasts), counted in {@code shadowcar_event_loop_blocked_total},
 * and its end is logged with how long it lasted.
 *
 * <p>Why not Vert.x's blocked-thread checker: it needs Vert.x to read the clock before and after every task it
 * dispatches (about 0.5 % of the proxy's CPU on its plain path), it only sees the loops Vert.x made (not the HTTP
 * sink's own), and it measures no delay an operator could graph. With this watchdog running the launcher turns that
 * timing off ({@code -Dvertx.disableContextTimings=true}), which also ends Vert.x's warnings for its worker threads:
 * the sidecar's blocking work there (a metrics scrape, certificate files, page documents) is short by construction.
 *
 * <p>A loop whose executor is shutting down is dropped from the watch, so loops that stop (a sink closed by a config
 * change) need no unregistering. Thread-safe.
 */
public final class LoopWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoopWatchdog.class);
  /** A timer per loop, tagged {@code loop} with the loop thread's name. */
  public static final String DELAY = "shadowcar.event.loop.delay";
  /** A counter per loop, tagged as {@link #DELAY}. */
  public static final String BLOCKED = "shadowcar.event.loop.blocked";

  /**
   * How the loops are watched.
   *
   * @param heartbeatMs how often each loop runs its heartbeat (its delay is sampled that often)
   * @param blockedMs how long a loop may run no heartbeat before it is called blocked
   * @param checkMs how often the watchdog's thread looks at the heartbeats
   * @param repeatMs how often a loop that stays blocked is logged again
   */
  public record Settings(long heartbeatMs, long blockedMs, long checkMs, long repeatMs) {

    /** Vert.x's own threshold for its event loops (2 s), checked twice a second. */
    public static final Settings DEFAULTS = new Settings(100, 2_000, 500, 10_000);

    public Settings {
      if (heartbeatMs < 1 || checkMs < 1 || repeatMs < 1 || blockedMs <= heartbeatMs) {
        throw new IllegalArgumentException("heartbeatMs " + heartbeatMs + ", blockedMs " + blockedMs + ", checkMs "
            + checkMs + ", repeatMs " + repeatMs + " (expected: all >= 1 and blockedMs > heartbeatMs)");
      }
    }
  }

  private final Settings settings;
  private final MeterRegistry registry;
  private final long heartbeatNanos;
  private final long blockedNanos;
  private final long repeatNanos;
  private final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService checker;
  private volatile boolean closed;

  private LoopWatchdog(Settings settings, MeterRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(settings.heartbeatMs());
    this.blockedNanos = TimeUnit.MILLISECONDS.toNanos(settings.blockedMs());
    this.repeatNanos = TimeUnit.MILLISECONDS.toNanos(settings.repeatMs());
    this.checker = Executors.newSingleThreadScheduledExecutor(NamedThreadFactory.single("shadowcar-loop-watchdog"));
  }

  /** A watchdog whose thread checks from now on; it watches no loop until {@link #watch} is called. */
  public static LoopWatchdog start(Settings settings, MeterRegistry registry) {
    LoopWatchdog watchdog = new LoopWatchdog(settings, registry);
    watchdog.checker.scheduleWithFixedDelay(watchdog::check, settings.checkMs(), settings.checkMs(),
        TimeUnit.MILLISECONDS);
    return watchdog;
  }

  /** Starts a heartbeat on each of {@code loops} (a Netty event loop group, or any of its executors). */
  public void watch(Iterable<? extends EventExecutor> loops) {
    for (EventExecutor loop : loops) {
      if (closed || loop.isShuttingDown()) {
        continue;
      }
      Heartbeat heartbeat = new Heartbeat(loop, System.nanoTime());
      heartbeats.add(heartbeat);
      heartbeat.schedule();
    }
  }

  /** How many loops are watched now (for the tests). */
  int watched() {
    return heartbeats.size();
  }

  /** Stops the checks and the heartbeats (each loop runs at most one more). */
  @Override
  public void close() {
    closed = true;
    checker.shutdownNow();
    heartbeats.clear();
  }

  /** On the watchdog's thread; never throws, which would end the checks for good. */
  private void check() {
    long now = System.nanoTime();
    for (Heartbeat heartbeat : heartbeats) {
      try {
        if (heartbeat.loop.isShuttingDown()) {
          heartbeats.remove(heartbeat);
        } else {
          heartbeat.check(now);
        }
      } catch (RuntimeException e) {
        LOG.warn("event loop watchdog: checking {} failed", heartbeat.loop, e);
      }
    }
  }

  /** One loop's heartbeat task (run on the loop) and what the checker knows of it (read on the checker's thread). */
  private final class Heartbeat implements Runnable {

    private final EventExecutor loop;
    /** Set by the first beat, named after the thread then; until then the meters are not registered. */
    private volatile Thread thread;
    private volatile long lastBeatNanos;
    /** The longest time between two beats since the checker last asked; 0 once it asked. */
    private volatile long longestGapNanos;
    private Timer delay;
    private Counter blocked;
    /** Checker-thread state: whether the loop is blocked now, and when that was last logged. */
    private boolean blockedNow;
    private long loggedNanos;

    Heartbeat(EventExecutor loop, long nowNanos) {
      this.loop = loop;
      this.lastBeatNanos = nowNanos;
    }

    void schedule() {
      try {
        loop.schedule(this, heartbeatNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException stopping) {
        heartbeats.remove(this); // the loop is shutting down
      }
    }

    @Override
    public void run() {
      long now = System.nanoTime();
      if (thread == null) {
        Thread current = Thread.currentThread();
        delay = Timer.builder(DELAY).tag("loop", current.getName())
            .description("How late each heartbeat task ran on the event loop: the wait of any task queued there")
            .register(registry);
        blocked = Counter.builder(BLOCKED).tag("loop", current.getName())
            .description("Times the event loop ran no task for the watchdog's threshold (each logged with its stack)")
            .register(registry);
        thread = current;
      }
      long gap = now - lastBeatNanos;
      // each beat is scheduled one heartbeat after the one before it ran: what is beyond that is the loop's delay
      delay.record(Math.max(0, gap - heartbeatNanos), TimeUnit.NANOSECONDS);
      if (gap > longestGapNanos) {
        longestGapNanos = gap;
      }
      lastBeatNanos = now;
      if (!closed) {
        schedule();
      }
    }

    void check(long now) {
      long silentNanos = now - lastBeatNanos;
      if (silentNanos >= blockedNanos) {
        if (!blockedNow) {
          blockedNow = true;
          loggedNanos = now;
          if (blocked != null) {
            blocked.increment();
          }
          warn("has run no task for", silentNanos);
        } else if (now - loggedNanos >= repeatNanos) {
          loggedNanos = now;
          warn("is still blocked after", silentNanos);
        }
        return;
      }
      if (blockedNow) {
        blockedNow = false;
        // the loop's own measure; the checker's (newest beat minus the one before the block) includes later beats
        long lasted = longestGapNanos;
        LOG.warn("event loop {} ran again after {} ms blocked", name(), TimeUnit.NANOSECONDS.toMillis(lasted));
      }
      longestGapNanos = 0;
    }

    private void warn(String what, long silentNanos) {
      Thread t = thread;
      long ms = TimeUnit.NANOSECONDS.toMillis(silentNanos);
      if (t == null) {
        LOG.warn("event loop {} {} {} ms (threshold {} ms): every connection on it waits; it never ran a task since "
            + "it was watched", name(), what, ms, settings.blockedMs());
        return;
      }
      LOG.warn("event loop {} {} {} ms (threshold {} ms): every connection on it waits; what it runs now:", name(),
          what, ms, settings.blockedMs(), new BlockedLoopStack(t));
    }

    private String name() {
      Thread t = thread;
      return t == null ? loop.toString() : t.getName();
    }
  }

  /** The blocked loop thread's stack at the time of the check, logged as the cause's frames. */
  static final class BlockedLoopStack extends Throwable {

    BlockedLoopStack(Thread thread) {
      super("stack of " + thread.getName() + " (" + thread.getState() + ")", null, false, true);
      setStackTrace(thread.getStackTrace());
    }
  }
}
