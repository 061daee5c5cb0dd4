import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The least an HTTP/1.1 reverse proxy does on the JVM, as a reference for scripts/bench.sh: Netty's HTTP codecs on
 * both sides (the ones shadowcar's server and client use too), each caller connection paired with one keep-alive
 * connection to the backend on the same event loop, and every decoded message passed on as it is. No header
 * rewriting, request ids, pooling, limits, timeouts, metrics or tee. What shadowcar's plain path costs above this is
 * shadowcar's (and Vert.x's); what this costs above nginx is the JVM's and Netty's, which no proxy built on them removes.
 *
 * <p>{@code java -cp launcher/target/shadowcar.jar scripts/bench/BareNettyProxy.java PORT BACKEND_PORT [LOOPS]}
 * (the sidecar's jar carries Netty). io_uring, else epoll, else NIO, like the sidecar; binds 127.0.0.1 only. Not a
 * product: no error handling beyond closing both connections.
 */
public final class BareNettyProxy {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int backendPort = Integer.parseInt(args[1]);
    int loops = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    // the sidecar's order (shadowcar.transport=auto), or the one named by -Dtransport=io_uring|epoll|nio
    String transport = System.getProperty("transport",
        IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio");
    boolean uring = transport.equals("io_uring");
    boolean epoll = transport.equals("epoll");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, uring ? IoUringIoHandler.newFactory()
        : epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> serverType = uring ? IoUringServerSocketChannel.class
        : epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Class<? extends Channel> clientType = uring ? IoUringSocketChannel.class
        : epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    new ServerBootstrap().group(group).channel(serverType)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel caller) {
            caller.pipeline().addLast(new HttpServerCodec(), new CallerSide(clientType, backendPort));
          }
        })
        .bind("127.0.0.1", port).sync();
    System.out.println("bare Netty proxy on 127.0.0.1:" + port + " to 127.0.0.1:" + backendPort + ", " + loops
        + " loops, " + transport);
  }

  /** A caller's connection: its requests go to its own backend connection, opened on its first request. */
  private static final class CallerSide extends ChannelInboundHandlerAdapter {
    private final Class<? extends Channel> clientType;
    private final int backendPort;
    private Channel backend;
    /** What the caller sent while the backend connection was being opened. */
    private List<Object> pending;

    CallerSide(Class<? extends Channel> clientType, int backendPort) {
      this.clientType = clientType;
      this.backendPort = backendPort;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (backend != null && backend.isActive()) {
        backend.write(msg, backend.voidPromise());
        return;
      }
      if (pending != null) {
        pending.add(msg);
        return;
      }
      pending = new ArrayList<>();
      pending.add(msg);
      Channel caller = ctx.channel();
      ChannelFuture connected = new Bootstrap().group(caller.eventLoop()).channel(clientType)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new HttpClientCodec(), new BackendSide(caller));
            }
          })
          .connect("127.0.0.1", backendPort);
      connected.addListener((ChannelFutureListener) f -> {
        List<Object> queued = pending;
        pending = null;
        if (!f.isSuccess()) {
          queued.forEach(ReferenceCountUtil::release);
          caller.close();
          return;
        }
        backend = f.channel();
        queued.forEach(m -> backend.write(m, backend.voidPromise()));
        backend.flush();
      });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (backend != null) {
        backend.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (backend != null) {
        backend.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** The backend connection of one caller: its responses go back to that caller as they are decoded. */
  private static final class BackendSide extends ChannelInboundHandlerAdapter {
    private final Channel caller;

    BackendSide(Channel caller) {
      this.caller = caller;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      caller.write(msg, caller.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      caller.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      caller.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
