package io.shadowcar.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.impl.VertxHttpObject;
import io.vertx.core.net.impl.ShutdownEvent;
import java.util.concurrent.TimeUnit;

/**
 * Ends one HTTP/1.x caller connection gracefully when the server shuts down, so that no request is cut mid-way. Vert.x
 * on its own closes an idle keep-alive connection at once and one that is busy right after its response, while the
 * caller may already be sending its next request on it: that request meets a closed socket. Here, once the shutdown
 * begins:
 * <ul>
 *   <li>every response whose head is still to be written says {@code Connection: close}, and the connection is
 *       closed once that response is written, so the caller knows not to send another request on it;
 *   <li>a connection with nothing in flight is closed once it has been quiet for {@link #QUIET_NANOS} (one second),
 *       long enough for a caller in the middle of a request-response loop to send its next request (which is then
 *       answered with {@code Connection: close}), and never while a request head is arriving.
 * </ul>
 * The server's drain timeout still bounds it all: whatever is open then is closed by Vert.x.
 *
 * <p>Installed by {@link StrictPipeline} just before Vert.x's connection handler, where it sees decoded requests and
 * responses before they are encoded. It steps aside (passes the shutdown on to Vert.x) for a connection that became
 * HTTP/2, which Vert.x ends with GOAWAY. Event-loop confined, like its channel.
 */
final class ConnectionDrain extends ChannelDuplexHandler {

  static final String NAME = "shadowcarDrain";
  static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final long quietNanos;
  /** Requests read whose final response is not written completely yet (more than one when pipelined). */
  private int inFlight;
  private boolean draining;
  /** The response being written carries {@code Connection: close}: close after it. */
  private boolean closeAfterResponse;
  private long quietSinceNanos = System.nanoTime();
  private ScheduledFuture<?> quietCheck;

  /** @param quietNanos how long a connection with nothing in flight stays open once the shutdown began */
  ConnectionDrain(long quietNanos) {
    this.quietNanos = quietNanos;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      inFlight++;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse head && head.status().code() < 200) {
      ctx.write(msg, promise); // 100 Continue: not the final response
      return;
    }
    if (msg instanceof HttpResponse head && draining && inFlight <= 1) { // pipelined requests: close after the last
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      closeAfterResponse = true;
    }
    if (msg instanceof LastHttpContent || msg instanceof VertxHttpObject object && object.isEnded()) {
      inFlight = Math.max(0, inFlight - 1);
      quietSinceNanos = EventClock.nanoTime();
      if (closeAfterResponse) {
        ChannelPromise written = promise.unvoid();
        written.addListener(f -> ctx.close());
        ctx.write(msg, written);
        return;
      }
      if (draining && inFlight == 0) {
        scheduleQuietCheck(ctx);
      }
    }
    ctx.write(msg, promise);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    boolean http1 = ctx.pipeline().get(StrictPipeline.DECODER) instanceof StrictRequestDecoder;
    if (!(evt instanceof ShutdownEvent) || !http1) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    draining = true; // Vert.x's own reaction is replaced, not added to
    if (inFlight == 0) {
      closeWhenQuiet(ctx);
    }
  }

  private void scheduleQuietCheck(ChannelHandlerContext ctx) {
    if (quietCheck == null) {
      long wait = quietSinceNanos + quietNanos - System.nanoTime();
      quietCheck = ctx.executor().schedule(() -> {
        quietCheck = null;
        closeWhenQuiet(ctx);
      }, Math.max(0, wait), TimeUnit.NANOSECONDS);
    }
  }

  private void closeWhenQuiet(ChannelHandlerContext ctx) {
    if (inFlight > 0 || !ctx.channel().isActive()) {
      return; // the response to what came in closes the connection
    }
    boolean headArriving = ctx.pipeline().get(StrictPipeline.DECODER) instanceof StrictRequestDecoder decoder
        && decoder.headArriving();
    if (headArriving || System.nanoTime() - quietSinceNanos < quietNanos) {
      if (headArriving) {
        quietSinceNanos = System.nanoTime();
      }
      scheduleQuietCheck(ctx);
      return;
    }
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (quietCheck != null) {
      quietCheck.cancel(false);
      quietCheck = null;
    }
  }
}
