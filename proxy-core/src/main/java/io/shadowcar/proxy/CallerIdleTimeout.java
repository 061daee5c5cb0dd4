package io.shadowcar.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A caller connection's idle timeout ({@code shadowcar.proxy.idleTimeout.ms}), in place of the {@link IdleStateHandler}
 * Vert.x installs for it: the same all-idle event, on which Vert.x closes the connection, but no clock read per read
 * and write. Netty's handler reads the clock after each read and, through a listener it adds to each write (which turns
 * a write's void promise into a real one), after each write: clock reads, a promise and a listener call per request,
 * about 0.7 µs (2 %) of the proxy's CPU per request on the plain path, measured with a profiler on the static benchmark
 * backend. Here a read or a write only sets a flag, and a timer that runs every quarter of the timeout counts the
 * quarters that saw neither: after four in a row the connection is idle. It is therefore closed between 1 and 1.25
 * times the timeout after its last traffic, where Netty's closes it at the timeout.
 *
 * <p>It extends {@link IdleStateHandler} (with Netty's own timeouts off, which makes its read and write paths plain
 * pass-throughs) because Vert.x finds the idle handler by that class when it adds handlers to a pipeline (the h2c
 * upgrade), and fires the same {@link IdleStateEvent}, which Vert.x's HTTP/1.x and HTTP/2 connections both handle.
 * Event-loop confined, like its channel.
 */
final class CallerIdleTimeout extends IdleStateHandler {

  /** The quarters of the timeout without traffic that make a connection idle. */
  static final int QUIET_CHECKS = 4;

  private final long timeoutMs;
  private final long checkNanos;
  private final Runnable check = this::check;
  private ChannelHandlerContext ctx;
  private boolean traffic;
  private int quietChecks;
  private ScheduledFuture<?> timer;

  /** @param timeoutMs the idle timeout, over 0 */
  CallerIdleTimeout(long timeoutMs) {
    super(0, 0, 0);
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs: " + timeoutMs + " (expected: > 0)");
    }
    this.timeoutMs = timeoutMs;
    this.checkNanos = Math.max(1, TimeUnit.MILLISECONDS.toNanos(timeoutMs) / QUIET_CHECKS);
  }

  @Override
  public long getAllIdleTimeInMillis() {
    return timeoutMs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.handlerRemoved(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    traffic = true;
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    traffic = true;
    super.write(ctx, msg, promise);
  }

  /** Starts the checks, once: handlerAdded and channelActive may both call it. */
  private void start(ChannelHandlerContext context) {
    if (ctx == null) {
      ctx = context;
      timer = context.executor().schedule(check, checkNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void check() {
    if (timer == null || !ctx.channel().isOpen()) {
      return; // stopped after this run was due
    }
    if (traffic) {
      traffic = false;
      quietChecks = 0;
    } else if (++quietChecks % QUIET_CHECKS == 0) {
      // every whole timeout without traffic, as Netty's handler: the first event, then again while it stays open
      ctx.fireUserEventTriggered(quietChecks == QUIET_CHECKS ? IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT
          : IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }
    if (timer != null) {
      timer = ctx.executor().schedule(check, checkNanos, TimeUnit.NANOSECONDS);
    }
  }
}
