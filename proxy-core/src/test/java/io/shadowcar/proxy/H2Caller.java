package io.shadowcar.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.X509Certificate;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 caller (cleartext with prior knowledge, or TLS with ALPN {@code h2}) on Netty's own HTTP/2 codec, which,
 * unlike Vert.x's client, can end a request with trailers. One connection; requests may share it.
 */
final class H2Caller implements AutoCloseable {

  /** What came back on one stream: the response (head, body, trailers), or the code of the stream's reset. */
  static final class Answer {
    final CompletableFuture<Answer> done = new CompletableFuture<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    volatile Http2Headers head;
    volatile Http2Headers trailers;
    volatile long resetCode = -1;

    int status() {
      return head == null ? -1 : Integer.parseInt(head.status().toString());
    }

    String bodyText() {
      return body.toString(StandardCharsets.UTF_8);
    }
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Map<Integer, Answer> answers = new ConcurrentHashMap<>();
  private final Http2ConnectionHandler handler;
  private final Channel channel;
  /** Used on the channel's event loop only. */
  private int nextStreamId = 1;

  H2Caller(int port) {
    this(port, null);
  }

  /** Over TLS, trusting {@code authority}, offering only {@code h2} by ALPN. */
  static H2Caller overTls(int port, X509Certificate authority) throws Exception {
    SslContext tls = SslContextBuilder.forClient().trustManager(authority)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.FATAL_ALERT, ApplicationProtocolNames.HTTP_2))
        .build();
    return new H2Caller(port, tls);
  }

  private H2Caller(int port, SslContext tls) {
    handler = new Http2ConnectionHandlerBuilder().server(false).frameListener(new Reader()).build();
    try {
      channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              if (tls != null) {
                ch.pipeline().addLast(tls.newHandler(ch.alloc(), "localhost", port));
              }
              ch.pipeline().addLast(handler);
            }
          })
          .connect("127.0.0.1", port).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Completes when the connection closes, whoever closes it. */
  CompletableFuture<Void> closed() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.closeFuture().addListener(f -> closed.complete(null));
    return closed;
  }

  static Http2Headers post(String path) {
    return new DefaultHttp2Headers().method("POST").scheme("http").authority("svc").path(path);
  }

  /** Fields as given, unchecked: a caller may send what HTTP/2 forbids. */
  static Http2Headers fields(String... namesAndValues) {
    Http2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  /** Sends a request: its head, each chunk as a DATA frame, then {@code trailers} (when not null) ending it. */
  Answer send(Http2Headers head, List<String> chunks, Http2Headers trailers) {
    Answer answer = new Answer();
    channel.eventLoop().execute(() -> {
      int id = nextStreamId;
      nextStreamId += 2;
      answers.put(id, answer);
      ChannelHandlerContext ctx = channel.pipeline().context(handler);
      Http2ConnectionEncoder encoder = handler.encoder();
      encoder.writeHeaders(ctx, id, head, 0, chunks.isEmpty() && trailers == null, ctx.newPromise());
      for (int i = 0; i < chunks.size(); i++) {
        ByteBuf data = Unpooled.copiedBuffer(chunks.get(i), StandardCharsets.UTF_8);
        encoder.writeData(ctx, id, data, 0, i == chunks.size() - 1 && trailers == null, ctx.newPromise());
      }
      if (trailers != null) {
        encoder.writeHeaders(ctx, id, trailers, 0, true, ctx.newPromise());
      }
      channel.flush(); // through the HTTP/2 handler, which writes the DATA its flow controller holds
    });
    return answer;
  }

  /** Sends a request and waits for what comes back. */
  Answer call(Http2Headers head, List<String> chunks, Http2Headers trailers) throws Exception {
    return send(head, chunks, trailers).done.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private final class Reader extends Http2FrameAdapter {

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endOfStream) {
      Answer answer = answers.get(streamId);
      if (answer.head == null) {
        answer.head = headers;
      } else {
        answer.trailers = headers;
      }
      if (endOfStream) {
        answer.done.complete(answer);
      }
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      int n = data.readableBytes();
      Answer answer = answers.get(streamId);
      byte[] bytes = new byte[n];
      data.readBytes(bytes);
      answer.body.write(bytes, 0, n);
      if (endOfStream) {
        answer.done.complete(answer);
      }
      return n + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Answer answer = answers.get(streamId);
      answer.resetCode = errorCode;
      answer.done.complete(answer);
    }
  }
}
