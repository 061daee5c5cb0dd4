package io.shadowcar.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.shadowcar.proxy.EventClock;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.impl.headers.HeadersAdaptor;

/**
 * One keep-alive HTTP/1.1 connection to a plain {@code http://} server (a primary, or a shadow instance), on Netty's
 * own objects: the request head and body written to Netty's encoder, the response's head, body chunks (in the buffers
 * Netty read them into) and trailers handed to the {@link Holder} that holds the connection, one at a time (no
 * pipelining).
 *
 * <p>Why not Vert.x's HTTP client: per request it copies the header map into Netty's, builds a stream, a request, a
 * response and a future per step, and dispatches each event through a context; on the plain path that was the largest
 * share of the proxy's own CPU left.
 *
 * <p>Event-loop confined: every method runs on the channel's event loop.
 */
public final class Http1Connection extends ChannelInboundHandlerAdapter {

  /** What the request holding the connection is told; every call on the connection's event loop. */
  public interface Holder {

    /** The server answered {@code 100 Continue} to a request that expects it. */
    void answerContinue();

    /** The final response head (status 200 or more); its body follows. */
    void answerHead(HttpResponse head);

    /** A chunk of the response body; the holder owns {@code data} and releases it. */
    void answerChunk(ByteBuf data);

    /** The response ended, with its trailers (empty for none). */
    void answerEnd(HttpHeaders trailers);

    /**
     * The last chunk of the body and the end together, as the decoder read them (a body in one piece, most often): the
     * holder owns {@code data}, which is readable, and releases it.
     */
    void answerLast(ByteBuf data, HttpHeaders trailers);

    /**
     * The connection read all it had for now: the chunks handed over since the last call are all there is until the
     * next read, so a holder that keeps them back to write them together writes them now.
     */
    default void answerBatchEnd() {}

    /** The connection can take more of the request body (it could not). */
    void drained();

    /** The connection failed or closed before the response ended; nothing more is called. */
    void failed(Throwable cause);
  }

  private final Target target;
  private ChannelHandlerContext context;
  private Holder holder;
  /** The response being read is an interim one (1xx): its end is not the holder's. */
  private boolean interim;
  private boolean responseEnded;
  private Runnable onClose;
  /** Request body chunks were written and a flush of them is queued on the event loop. */
  private boolean flushQueued;
  private final Runnable flushWritten = this::flushWritten;

  Http1Connection(Target target) {
    this.target = target;
  }

  /**
   * A response's decoded fields (head or trailers) as Vert.x's map: the same object, since the connections decode
   * them into Vert.x's kind; any other map wrapped.
   */
  public static MultiMap fields(HttpHeaders decoded) {
    return decoded instanceof MultiMap map ? map : new HeadersAdaptor(decoded);
  }

  /** The target this connection is open to. */
  public Target target() {
    return target;
  }

  void onClose(Runnable action) {
    this.onClose = action;
  }

  boolean isOpen() {
    return context != null && context.channel().isActive();
  }

  /** Takes the connection for {@code to}; the previous holder, if any, has released it. */
  public void hold(Holder to) {
    holder = to;
    interim = false;
    responseEnded = false;
  }

  /**
   * Gives the connection up: nothing more is told to the request that held it, and reading goes on (a response that
   * ended while the caller was slow left it paused), so that an idle connection's close is seen.
   */
  void letGo() {
    holder = null;
    if (context != null && !context.channel().config().isAutoRead()) {
      resume();
    }
  }

  /** True once the held request's response ended. */
  boolean responseEnded() {
    return responseEnded;
  }

  /** Writes the request head; {@code flush} when nothing follows at once. */
  public void writeHead(HttpRequest head, boolean flush) {
    if (flush) {
      context.writeAndFlush(head, context.voidPromise());
    } else {
      context.write(head, context.voidPromise());
    }
  }

  /** Sends a whole request (head, body and end) at once. */
  public void send(FullHttpRequest request) {
    context.writeAndFlush(request, context.voidPromise());
  }

  /**
   * Writes a chunk of the request body, which this connection now owns. It is flushed once the event loop's current
   * task is done (or with the request's end, if that comes first): the chunks a caller sent in one read, and the end
   * after them, go to the server in one write, not one each.
   */
  public void write(ByteBuf chunk) {
    context.write(new DefaultHttpContent(chunk), context.voidPromise());
    if (!flushQueued) {
      flushQueued = true;
      context.executor().execute(flushWritten);
    }
  }

  private void flushWritten() {
    flushQueued = false;
    context.flush();
  }

  /** Ends the request, with {@code trailers} after a chunked body ({@code null} for none). */
  public void end(HttpHeaders trailers) {
    LastHttpContent last = trailers == null || trailers.isEmpty() ? LastHttpContent.EMPTY_LAST_CONTENT
        : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers);
    context.writeAndFlush(last, context.voidPromise());
  }

  /** True while the connection's outbound buffer is over its high-water mark. */
  public boolean writeQueueFull() {
    return !context.channel().isWritable();
  }

  /** Stops reading the response (the caller is not keeping up). */
  public void pause() {
    context.channel().config().setAutoRead(false);
  }

  /** Reads the response again. */
  public void resume() {
    context.channel().config().setAutoRead(true);
  }

  /** Closes the connection (a request that failed or ended early never gives it back half-used). */
  public void close() {
    holder = null;
    if (context != null) {
      context.channel().close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // an EventClock event: the answer's end, the exchange's and the breaker's times, the pool's idle stamp and the
    // caller's write share one clock read
    EventClock.Event event = EventClock.enter();
    try {
      read(ctx, msg);
    } finally {
      event.exit();
    }
  }

  private void read(ChannelHandlerContext ctx, Object msg) {
    Holder to = holder;
    if (to == null || responseEnded) {
      // bytes from the server while no request is out: not HTTP/1.1 as this connection speaks it
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      fail(object.decoderResult().cause());
      ctx.close();
      return;
    }
    if (msg instanceof HttpResponse head) {
      int code = head.status().code();
      if (code == 101) {
        // the server switches protocols on a request that did not ask to (Upgrade is never sent on it)
        fail(new IllegalStateException("the server switched protocols on a plain request"));
        ctx.close();
        return;
      }
      interim = code < 200;
      if (code == 100) {
        to.answerContinue();
      } else if (!interim) {
        to.answerHead(head);
      }
    }
    if (msg instanceof HttpContent content) {
      ByteBuf data = content.content();
      boolean last = msg instanceof LastHttpContent;
      if (interim) {
        data.release();
        interim = !last;
        return;
      }
      if (!last) {
        if (data.isReadable()) {
          to.answerChunk(data);
        } else {
          data.release();
        }
        return;
      }
      responseEnded = true;
      HttpHeaders trailers = ((LastHttpContent) content).trailingHeaders();
      if (data.isReadable()) {
        to.answerLast(data, trailers);
      } else {
        data.release();
        to.answerEnd(trailers);
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Holder to = holder;
    if (to != null) {
      to.answerBatchEnd();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Holder to = holder;
    if (to != null && ctx.channel().isWritable()) {
      to.drained();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!responseEnded) {
      fail(new HttpClosedException("Connection was closed"));
    }
    holder = null;
    Runnable action = onClose;
    onClose = null;
    if (action != null) {
      action.run();
    }
    ctx.fireChannelInactive();
  }

  private void fail(Throwable cause) {
    Holder to = holder;
    holder = null;
    if (to != null) {
      to.failed(cause);
    }
  }
}
