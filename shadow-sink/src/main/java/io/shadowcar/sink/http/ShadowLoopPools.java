package io.shadowcar.sink.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.DeadlineQueue;
import io.shadowcar.proxy.upstream.Http1Connections;
import io.shadowcar.proxy.upstream.Target;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Each event loop's own keep-alive connections to the plain {@code http://} shadow instances, so that a copy is sent,
 * answered and read on one loop. Vert.x's pooled client shares one pool between the loops: each copy builds a
 * context, scans the pool for a free connection and, when that connection belongs to another loop, hands the request
 * and its answer across threads.
 *
 * <p>Which loops: by default the proxy's, each copy on the loop that took it. With event loops of the sink's own
 * ({@link ShadowEventLoops}), each proxy loop hands its copies to one of them (the same one every time), and the copy
 * runs there ({@link Loop#execute}).
 *
 * <p>The per-instance limit {@code maxPoolSize} is shared evenly among the loops that send (each gets at least one
 * connection), and each loop lets twice its share of copies wait per instance, as Vert.x's pool does for the whole
 * limit. Each loop counts the copies running on it ({@link Loop#copies}), so the head's check
 * ({@link HttpShadowSink#refusal}) refuses a copy its loop has no room for, before anything is captured; before a
 * slow shadow it lets fewer wait ({@link WaitingCopies}). A copy still on its way to one of the sink's own loops is
 * not counted yet (counting it at hand-off refused about a tenth of the copies under saturating load, though the loop
 * had room when they arrived); the sink's count of all its copies in flight, checked at the head too, bounds those.
 *
 * <p>Only callers on an event loop get a pool ({@link #current}); any other thread (a test, a tool) gets none and
 * uses Vert.x's pooled client. The proxy's loops' pools are created by the loops themselves on their first copy; the
 * sink's own loops' pools when the sink starts. Each is expired and closed on its own loop through Netty's scheduler,
 * which outlives any Vert.x deployment on the loop.
 */
final class ShadowLoopPools {

  /** How often each loop closes the connections whose keep-alive time passed. */
  private static final long EXPIRY_PERIOD_MS = 1_000;

  private final VertxInternal vertx;
  private final HttpClientOptions options;
  private final int connectionsPerLoop;
  private final long keepAliveMs;
  private final long callTimeoutNanos;
  private final long sweepPeriodMs;
  private final Supplier<Set<TargetUrl>> liveTargets;
  private final ConcurrentHashMap<Thread, Loop> byLoop = new ConcurrentHashMap<>();
  /** One {@link Target} per instance, since a loop's pool knows its targets by identity. */
  private final ConcurrentHashMap<TargetUrl, Target> targets = new ConcurrentHashMap<>();
  /** The sink's own loops, or none: then each proxy loop sends its copies itself. */
  private final Loop[] ownLoops;
  /** Which of {@link #ownLoops} the next proxy loop to send a copy is given. */
  private final AtomicInteger nextOwnLoop = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param options the client options the connections get (connect timeout, header sizes, TCP settings)
   * @param maxPoolSize connections per shadow instance, shared among the loops that send
   * @param proxyLoops how many event loops the proxy has
   * @param ownLoops the sink's own loops, or {@code null} for copies sent by the proxy's loops
   * @param callTimeoutMs the deadline of each copy's call ({@link Loop#deadlines})
   * @param liveTargets every shadow instance now (candidate and secondary), so instances gone are forgotten
   */
  ShadowLoopPools(VertxInternal vertx, HttpClientOptions options, int maxPoolSize, int proxyLoops,
      ShadowEventLoops ownLoops, long keepAliveMs, long callTimeoutMs, Supplier<Set<TargetUrl>> liveTargets) {
    this.vertx = vertx;
    this.options = options;
    int sending = ownLoops == null ? proxyLoops : ownLoops.contexts().size();
    this.connectionsPerLoop = Math.max(1, (maxPoolSize + sending - 1) / sending);
    this.keepAliveMs = keepAliveMs;
    this.callTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(callTimeoutMs);
    this.sweepPeriodMs = DeadlineQueue.sweepPeriodMs(callTimeoutMs);
    this.liveTargets = liveTargets;
    if (ownLoops == null) {
      this.ownLoops = null;
    } else {
      this.ownLoops = ownLoops.contexts().stream().map(c -> new Loop(c.nettyEventLoop(), c, c))
          .toArray(Loop[]::new);
    }
  }

  /** Connections each loop may open to one instance. */
  int connectionsPerLoop() {
    return connectionsPerLoop;
  }

  /**
   * The pool and count of the loop that sends the calling event loop's copies (itself, or the sink's own loop it was
   * given), created on its first call; {@code null} off an event loop or once closed (a copy then goes through Vert.x's
   * pooled client, and only the sink's overall count limits it).
   */
  Loop current() {
    if (closed || !Context.isOnEventLoopThread()) {
      return null;
    }
    Loop loop = byLoop.get(Thread.currentThread());
    if (loop == null) {
      if (ownLoops != null) {
        loop = ownLoops[Math.floorMod(nextOwnLoop.getAndIncrement(), ownLoops.length)];
      } else {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        if (context == null) {
          return null;
        }
        loop = new Loop(context.nettyEventLoop(), null, context);
      }
      byLoop.put(Thread.currentThread(), loop); // only this thread adds its own entry
    }
    return loop;
  }

  /** The pools' key for {@code url}. */
  Target target(TargetUrl url) {
    Target target = targets.get(url);
    if (target == null) {
      target = targets.computeIfAbsent(url, u -> Target.of(u, null));
    }
    return target;
  }

  /** Closes every loop's connections (on its loop) and fails the copies waiting for one. */
  Future<Void> close() {
    closed = true;
    Set<Loop> loops = Collections.newSetFromMap(new IdentityHashMap<>());
    loops.addAll(byLoop.values());
    if (ownLoops != null) {
      loops.addAll(List.of(ownLoops));
    }
    List<Future<Void>> closing = new ArrayList<>();
    for (Loop loop : loops) {
      closing.add(loop.close());
    }
    return Future.join(closing).mapEmpty();
  }

  /** One loop's pool, its expiry task, the copies it has in flight and their deadlines. */
  final class Loop {
    private final EventLoop loop;
    /** The context copies run on when this is one of the sink's own loops; {@code null} for a proxy loop. */
    private final ContextInternal ownContext;
    private final Http1Connections pool;
    private final ScheduledFuture<?> expiry;
    private final DeadlineQueue deadlines = new DeadlineQueue(callTimeoutNanos);
    private final ScheduledFuture<?> sweep;
    /** Admitted copies taken on this loop and not ended; ended possibly on another thread (an HTTPS secondary). */
    private final AtomicInteger copies = new AtomicInteger();

    /** @param callContext the context a copy's call runs on here, on which its deadline fails it */
    private Loop(EventLoop loop, ContextInternal ownContext, ContextInternal callContext) {
      this.loop = loop;
      this.ownContext = ownContext;
      this.pool = new Http1Connections(vertx, loop, options, connectionsPerLoop, 2 * connectionsPerLoop, true,
          keepAliveMs);
      this.expiry = loop.scheduleAtFixedRate(this::expire, EXPIRY_PERIOD_MS, EXPIRY_PERIOD_MS, TimeUnit.MILLISECONDS);
      this.sweep = loop.scheduleAtFixedRate(() -> callContext.dispatch(() -> deadlines.expire(System.nanoTime())),
          sweepPeriodMs, sweepPeriodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * The deadlines of the calls running on this loop: one timeout for all, so a FIFO list swept every tenth of the
     * timeout (at most 100 ms) instead of a Vert.x timer per copy, whose setting and cancelling took about 7 % of a
     * sink loop's time. Use only on this loop ({@link #inLoop()}).
     */
    DeadlineQueue deadlines() {
      return deadlines;
    }

    boolean inLoop() {
      return loop.inEventLoop();
    }

    /** Takes {@code call}'s deadline out from another thread (a call ended there): queued to the loop. */
    void dropDeadlineLater(DeadlineQueue.Entry call) {
      try {
        loop.execute(() -> deadlines.remove(call));
      } catch (RejectedExecutionException e) {
        // the loop has stopped, and its deadlines with it
      }
    }

    /** This loop's connections to the plain {@code http://} instances. */
    Http1Connections pool() {
      return pool;
    }

    /**
     * Runs {@code copy} on this loop: at once on the calling thread when it is this loop, else queued to it.
     *
     * @throws RejectedExecutionException when the loop has stopped (the sink is closing)
     */
    void execute(Runnable copy) {
      if (ownContext == null || loop.inEventLoop()) {
        copy.run();
      } else {
        loop.execute(() -> ownContext.dispatch(copy));
      }
    }

    /** Copies taken on this loop and still in flight. */
    int copies() {
      return copies.get();
    }

    void copyStarted() {
      copies.incrementAndGet();
    }

    void copyEnded() {
      copies.decrementAndGet();
    }

    private void expire() {
      pool.expireIdle(System.nanoTime());
      if (targets.size() > 0) {
        // instances a target source no longer lists get a new key if they come back; their idle connections expire
        targets.keySet().retainAll(liveTargets.get());
      }
    }

    Future<Void> close() {
      Promise<Void> closedHere = Promise.promise();
      try {
        loop.execute(() -> {
          expiry.cancel(false);
          sweep.cancel(false);
          pool.close().onComplete(closed -> closedHere.complete());
        });
      } catch (RejectedExecutionException e) {
        closedHere.complete(); // the loop has stopped, and its connections with it
      }
      return closedHere.future();
    }
  }
}
