package io.shadowcar.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An h2c primary (prior knowledge) on Netty's own HTTP/2 codec, which, unlike Vert.x's server, sees the trailing
 * HEADERS frame of a request. Records each request once its stream ends and answers it {@code 200 ok}. Its streams'
 * flow-control window is small, so a large body is still queued in the sender when the sender ends it.
 */
final class H2Primary implements AutoCloseable {

  static final int WINDOW = 16 * 1024;

  /** One request as received. */
  static final class Received {
    Http2Headers head;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    Http2Headers trailers;
    /** Body bytes received before the trailers came. */
    int bodyBytesBeforeTrailers = -1;

    String bodyText() {
      return body.toString(StandardCharsets.UTF_8);
    }
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final Channel server;

  H2Primary() {
    try {
      server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              Recorder recorder = new Recorder();
              recorder.handler = new Http2ConnectionHandlerBuilder().server(true)
                  .initialSettings(Http2Settings.defaultSettings().initialWindowSize(WINDOW))
                  .frameListener(recorder).build();
              ch.pipeline().addLast(recorder.handler);
            }
          })
          .bind("127.0.0.1", 0).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The next request whose stream ended, waiting up to 10 s; {@code null} when none came. */
  Received next() throws InterruptedException {
    return received.poll(10, TimeUnit.SECONDS);
  }

  /** A request already received, without waiting. */
  Received poll() {
    return received.poll();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** One connection's streams; runs on its event loop. */
  private final class Recorder extends Http2FrameAdapter {

    Http2ConnectionHandler handler;
    private final Map<Integer, Received> streams = new HashMap<>();

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endOfStream) {
      Received request = streams.get(streamId);
      if (request == null) {
        request = new Received();
        request.head = headers;
        streams.put(streamId, request);
      } else {
        request.trailers = headers;
        request.bodyBytesBeforeTrailers = request.body.size();
      }
      if (endOfStream) {
        ended(ctx, streamId);
      }
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      int n = data.readableBytes();
      byte[] bytes = new byte[n];
      data.readBytes(bytes);
      streams.get(streamId).body.write(bytes, 0, n);
      if (endOfStream) {
        ended(ctx, streamId);
      }
      return n + padding;
    }

    private void ended(ChannelHandlerContext ctx, int streamId) {
      received.add(streams.remove(streamId));
      handler.encoder().writeHeaders(ctx, streamId, new DefaultHttp2Headers().status("200"), 0, false,
          ctx.newPromise());
      handler.encoder().writeData(ctx, streamId, Unpooled.copiedBuffer("ok", StandardCharsets.UTF_8), 0, true,
          ctx.newPromise());
      ctx.channel().flush(); // through the HTTP/2 handler, which writes the DATA its flow controller holds
    }
  }
}
