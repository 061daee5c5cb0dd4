package io.shadowcar.sink.http;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.shadowcar.common.concurrent.BackgroundPriority;
import io.shadowcar.proxy.watchdog.LoopWatchdog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.VertxThreadFactory;
import io.vertx.core.spi.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event loops of the HTTP sink's own, when {@code shadowcar.shadow.http.eventLoops} asks for them: the copies are
 * sent, and the shadow's answers read and reported, there instead of on the proxy's loops that serve callers.
 *
 * <p>Why: a slow shadow's pool empties and refills all at once. With the default 64 connections and a 1 s shadow,
 * each second brings dozens of answers within a few milliseconds, and as many new copies taken in their place; on the
 * proxy's loop that work (a few dozen calls a second, so never compiled hot) holds up every caller on that loop for
 * those milliseconds, which is the 1 s shadow's p99. On a loop of its own, the burst waits for a core instead.
 *
 * <p>Each loop's thread lowers its own scheduling priority before it runs its first task ({@link BackgroundPriority},
 * {@code shadowcar.shadow.threadNice}): on busy cores the kernel runs the proxy's loops first, and a burst here waits
 * for the time they leave.
 *
 * <p>The loops come from Vert.x's transport (the proxy's: io_uring, epoll or NIO), run Vert.x contexts (timers and
 * clients behave as on the proxy's loops) and are Vert.x threads named {@code shadowcar-shadow-loop-N}.
 */
final class ShadowEventLoops {

  /** Netty's share of a loop's time for I/O against tasks, as Vert.x's own loops. */
  private static final int IO_RATIO = 50;
  /**
   * Vert.x's threshold for a blocked event loop, which its thread type requires; Vert.x does not check these loops
   * (the sidecar's {@code LoopWatchdog} does, from {@link #start}).
   */
  private static final long MAX_EXEC_MS = 2_000;

  private final EventLoopGroup group;
  private final List<ContextInternal> contexts;

  private ShadowEventLoops(EventLoopGroup group, List<ContextInternal> contexts) {
    this.group = group;
    this.contexts = contexts;
  }

  /** Starts {@code count} loops, each with a context of {@code vertx}, watched by {@code watchdog}. */
  static ShadowEventLoops start(Vertx vertx, int count, LoopWatchdog watchdog) {
    VertxInternal internal = (VertxInternal) vertx;
    AtomicInteger threads = new AtomicInteger();
    EventLoopGroup group = internal.transport().eventLoopGroup(Transport.IO_EVENT_LOOP_GROUP, count, task -> {
      Thread thread = VertxThreadFactory.INSTANCE.newVertxThread(BackgroundPriority.lowering(task),
          "shadowcar-shadow-loop-" + threads.getAndIncrement(), false, MAX_EXEC_MS, TimeUnit.MILLISECONDS);
      thread.setDaemon(true); // a sidecar that never closed its sink still exits
      return thread;
    }, IO_RATIO);
    List<ContextInternal> contexts = new ArrayList<>();
    for (EventExecutor executor : group) {
      contexts.add(internal.contextBuilder().withEventLoop((EventLoop) executor).build());
    }
    watchdog.watch(group);
    return new ShadowEventLoops(group, List.copyOf(contexts));
  }

  /** One context per loop, in a fixed order. */
  List<ContextInternal> contexts() {
    return contexts;
  }

  /** Stops the loops once the tasks queued on them ran. */
  Future<Void> close() {
    Promise<Void> stopped = Promise.promise();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).addListener(f -> stopped.complete());
    return stopped.future();
  }
}
