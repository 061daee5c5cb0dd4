package io.shadowcar.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.impl.UpstreamChannels;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a primary's HTTP/1.x connection, between Netty's codec and Vert.x: while a {@link Receiver} is attached, the
 * chunks of the response body go to it as Netty read them, in pooled direct memory, instead of through Vert.x's
 * client, which copies each chunk to the heap (and Netty copies it back to direct memory to write it to the caller).
 * The end of the body, with its trailers, still goes to Vert.x, which ends the response and frees the connection.
 *
 * <p>A receiver can only attach before any chunk of the response went on to Vert.x, so no chunk overtakes one that
 * Vert.x still holds. While attached, Vert.x does not see the chunks and cannot pause the connection for them: the
 * receiver does it with {@link #pause} and {@link #resume}. Event-loop confined, like its channel.
 */
final class DirectResponseBody extends ChannelInboundHandlerAdapter {

  static final String NAME = "shadowcarDirectBody";
  private static final Logger LOG = LoggerFactory.getLogger(DirectResponseBody.class);
  static final AtomicBoolean UNAVAILABLE_LOGGED = new AtomicBoolean();

  /** Where the chunks go while attached. */
  interface Receiver {

    /** One chunk of the body, in order; the receiver owns {@code data} and releases it once done with it. */
    void chunk(ByteBuf data);

    /** The connection read all it had for now: no chunk follows before its next read. */
    default void batchEnd() {}
  }

  private ChannelHandlerContext context;
  private Receiver receiver;
  /** Part of the current response's body went on to Vert.x: it keeps the rest. */
  private boolean bodyWithVertx;
  private boolean paused;

  /**
   * The handler of {@code upstream}'s HTTP/1.x connection, installed at the first call; {@code null} when the
   * connection runs on another event loop than this one (Vert.x hands its chunks over to the caller's loop) and, with a
   * warning once, when it does not have the pipeline of the Vert.x this was built against.
   */
  static DirectResponseBody of(HttpClientRequest upstream) {
    ChannelHandlerContext channel = UpstreamChannels.of(upstream);
    if (channel != null && !channel.executor().inEventLoop()) {
      return null;
    }
    DirectResponseBody handler = PrimaryConnectionHandlers.afterCodec(channel, NAME, DirectResponseBody::new);
    if (handler == null && UNAVAILABLE_LOGGED.compareAndSet(false, true)) {
      LOG.warn("Primary response bodies go through Vert.x's HTTP client, at the cost of two copies each: its HTTP/1.x "
          + "connection has no Netty pipeline with Vert.x's codec (a Vert.x this build does not know)");
    }
    return handler;
  }

  /**
   * Sends the rest of the current response's body to {@code to}, until its end; false (nothing changes) when part of
   * it went to Vert.x already.
   */
  boolean attach(Receiver to) {
    if (bodyWithVertx) {
      return false;
    }
    receiver = to;
    return true;
  }

  /** Stops reading from the primary (the caller is not keeping up). */
  void pause() {
    if (!paused && receiver != null) {
      paused = true;
      context.channel().config().setAutoRead(false);
    }
  }

  /** Reads from the primary again. */
  void resume() {
    if (paused) {
      paused = false;
      context.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Receiver to = receiver;
    if (msg instanceof HttpContent content && to != null && content.decoderResult().isSuccess()) {
      if (msg instanceof LastHttpContent last) {
        detach();
        HttpHeaders trailers = last.trailingHeaders();
        ByteBuf data = last.content();
        if (data.isReadable()) {
          to.chunk(data);
        } else {
          data.release();
        }
        ctx.fireChannelRead(trailers.isEmpty() ? LastHttpContent.EMPTY_LAST_CONTENT
            : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
      } else {
        to.chunk(content.content());
      }
      return;
    }
    if (msg instanceof HttpResponse) {
      bodyWithVertx = false; // a new response (an interim 1xx one, or the final one)
      detach();
    } else if (msg instanceof HttpContent) {
      bodyWithVertx = true;
      if (to != null) {
        detach(); // the decoder failed: Vert.x ends the exchange with the error
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Receiver to = receiver;
    if (to != null) {
      to.batchEnd();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    detach();
    ctx.fireChannelInactive();
  }

  private void detach() {
    receiver = null;
    resume();
  }
}
