package io.shadowcar.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.shadowcar.common.headers.HeaderTokens;
import io.shadowcar.proxy.EventClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's keep-alive {@link Http1Connection}s to plain {@code http://} servers (its primaries, or its shadow
 * instances): per target a stack of idle connections (the most recently used on top, so a quiet period lets the
 * others expire), at most {@code maxPerTarget} open, and the requests waiting, in order, when all are busy. A request
 * whose wait ended (its deadline passed) withdraws and never gets a connection. The waiting requests per target may be
 * bounded ({@code maxWaitersPerTarget}): one more then fails at once with a {@link ConnectionPoolTooBusyException}, as
 * Vert.x's pool does when its wait queue is full.
 *
 * <p>A request gives its connection back with {@link #release} once both its request and the response are complete;
 * a connection whose request failed, or whose response asked to close, is closed instead. Idle connections are closed
 * after the keep-alive timeout (or the server's shorter {@code Keep-Alive: timeout}) by {@link #expireIdle}, which the
 * loop's sweep timer calls.
 *
 * <p>Connections are opened with the transport, TCP options and header limits of the client options given, as Vert.x's
 * client would open them. Event-loop confined.
 */
public final class Http1Connections {

  private static final long SERVER_LIMIT_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** A wait for a connection; {@link #withdrawn} once its request stopped waiting. */
  public interface Waiter {

    /** The connection, held for this waiter now. */
    void connected(Http1Connection connection);

    /** No connection could be opened. */
    void connectFailed(Throwable cause);

    /** True once the waiter no longer wants a connection. */
    boolean withdrawn();
  }

  private final Bootstrap bootstrap;
  private final HttpDecoderConfig decoder;
  private final int maxPerTarget;
  private final int maxWaitersPerTarget;
  private final boolean keepAlive;
  private final long keepAliveNanos;
  private final Map<Target, TargetConnections> byTarget = new IdentityHashMap<>();
  /** Every connection open or opening (each leaves when closed), for {@link #close} to wait on. */
  private final ChannelGroup channels;
  private boolean closed;

  /**
   * @param options the client options whose TCP settings, connect timeout and header limits the connections get
   * @param keepAliveMs how long an idle connection is kept
   */
  public Http1Connections(VertxInternal vertx, EventLoop loop, HttpClientOptions options, int maxPerTarget,
      boolean keepAlive, long keepAliveMs) {
    this(vertx, loop, options, maxPerTarget, Integer.MAX_VALUE, keepAlive, keepAliveMs);
  }

  /** Connections whose targets each hold at most {@code maxWaitersPerTarget} waiting requests. */
  public Http1Connections(VertxInternal vertx, EventLoop loop, HttpClientOptions options, int maxPerTarget,
      int maxWaitersPerTarget, boolean keepAlive, long keepAliveMs) {
    this.maxPerTarget = maxPerTarget;
    this.maxWaitersPerTarget = maxWaitersPerTarget;
    this.keepAlive = keepAlive;
    this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMs);
    Transport transport = vertx.transport();
    this.channels = new DefaultChannelGroup("http1-connections", loop);
    this.bootstrap = new Bootstrap().group(loop).channelFactory(transport.channelFactory(false))
        .option(ChannelOption.ALLOCATOR, VertxByteBufAllocator.POOLED_ALLOCATOR)
        // names resolved by Vert.x's resolver, off the event loop, as its client does
        .resolver(vertx.nameResolver().nettyAddressResolverGroup());
    transport.configure(options, options.getConnectTimeout(), false, bootstrap);
    this.decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(options.getMaxInitialLineLength())
        .setMaxHeaderSize(options.getMaxHeaderSize())
        .setMaxChunkSize(options.getMaxChunkSize())
        .setInitialBufferSize(options.getDecoderInitialBufferSize())
        .setHeadersFactory(VERTX_HEADERS)
        .setTrailersFactory(VERTX_HEADERS);
  }

  /**
   * Response headers and trailers decoded straight into Vert.x's map, validated as Vert.x's client validates them, so
   * that they are copied to the caller's response without another map.
   */
  private static final HttpHeadersFactory VERTX_HEADERS = new HttpHeadersFactory() {
    @Override
    public HttpHeaders newHeaders() {
      return HeadersMultiMap.httpHeaders();
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
      return HeadersMultiMap.httpHeaders();
    }
  };

  /**
   * Holds a connection to {@code target} for {@code waiter}: an idle one at once (before this returns), else one
   * opened or freed for it.
   */
  public void acquire(Target target, Waiter waiter) {
    if (closed) {
      waiter.connectFailed(new IllegalStateException("the connection pool is closed"));
      return;
    }
    TargetConnections connections = byTarget.get(target);
    if (connections == null) {
      connections = new TargetConnections(target);
      byTarget.put(target, connections);
    }
    Http1Connection idle = connections.takeIdle();
    if (idle != null) {
      waiter.connected(idle);
      return;
    }
    if (connections.waiters.size() >= maxWaitersPerTarget) {
      connections.waiters.removeIf(Waiter::withdrawn);
      if (connections.waiters.size() >= maxWaitersPerTarget) {
        waiter.connectFailed(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of "
            + maxWaitersPerTarget));
        return;
      }
    }
    connections.waiters.add(waiter);
    connections.openForWaiters();
  }

  /**
   * Gives back {@code connection}, whose response {@code head} (possibly {@code null}) answered: kept for the next
   * request when the request and the response are both {@code complete} and the server did not ask to close it,
   * closed otherwise.
   */
  public void release(Http1Connection connection, HttpResponse head, boolean complete) {
    long serverKeepAliveNanos = complete && head != null && connection.responseEnded() ? keepAliveNanos(head) : 0;
    keep(connection, Math.min(keepAliveNanos, serverKeepAliveNanos));
  }

  /** Gives back a connection that got no request (its request had ended by then). */
  public void releaseUnused(Http1Connection connection) {
    keep(connection, keepAliveNanos);
  }

  /** Keeps {@code connection} idle for at most {@code limitNanos} (none: closed), or for the next waiter. */
  private void keep(Http1Connection connection, long limitNanos) {
    connection.letGo();
    TargetConnections owner = byTarget.get(connection.target());
    if (closed || owner == null || limitNanos <= 0 || !connection.isOpen()) {
      connection.close();
      return;
    }
    owner.giveBack(connection, limitNanos);
  }

  /** Closes the idle connections whose keep-alive time has passed, and forgets targets with nothing open. */
  public void expireIdle(long nowNanos) {
    for (Iterator<TargetConnections> it = byTarget.values().iterator(); it.hasNext(); ) {
      TargetConnections connections = it.next();
      connections.expire(nowNanos);
      if (connections.opened == 0 && connections.waiters.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Connections open now, to every target (for the tests). */
  int openConnections() {
    int n = 0;
    for (TargetConnections connections : byTarget.values()) {
      n += connections.opened - connections.connecting;
    }
    return n;
  }

  /**
   * Closes every connection and fails every waiting request; completes once every socket is closed. A close may take
   * an event-loop turn or more (io_uring finishes it when the socket's pending reads are cancelled): the owner waits
   * for it before its event loop stops, so that no close is still under way when the loop goes.
   */
  public Future<Void> close() {
    closed = true;
    for (TargetConnections connections : List.copyOf(byTarget.values())) {
      connections.closeAll(new IllegalStateException("the connection pool is closing"));
    }
    Promise<Void> allClosed = Promise.promise();
    channels.close().addListener(done -> allClosed.complete()); // a socket whose close failed is closed all the same
    return allClosed.future();
  }

  /** How long the server lets the connection idle after {@code head}: 0 when it is to be closed now. */
  private long keepAliveNanos(HttpResponse head) {
    if (!keepAlive) {
      return 0;
    }
    HttpHeaders headers = head.headers();
    String connection = headers.get(io.vertx.core.http.HttpHeaders.CONNECTION);
    boolean keep = head.protocolVersion() != HttpVersion.HTTP_1_0;
    if (connection != null) {
      if (HeaderTokens.contains(connection, "close")) {
        return 0;
      }
      keep |= HeaderTokens.contains(connection, "keep-alive");
    }
    if (!keep) {
      return 0;
    }
    String hint = headers.get(io.vertx.core.http.HttpHeaders.KEEP_ALIVE);
    long seconds = hint == null ? -1 : HeaderTokens.keepAliveTimeoutSeconds(hint);
    // A second less than the server's own limit: a request sent just as the server closes would fail.
    return seconds < 0 ? keepAliveNanos : TimeUnit.SECONDS.toNanos(seconds) - SERVER_LIMIT_MARGIN_NANOS;
  }

  /** An idle connection and when it went idle. */
  private record Idle(Http1Connection connection, long sinceNanos, long limitNanos) {
    boolean expired(long nowNanos) {
      return nowNanos - sinceNanos >= limitNanos;
    }
  }

  /** The connections to one target. */
  private final class TargetConnections {
    final Target target;
    final InetSocketAddress address;
    /** Idle connections, the most recently used first. */
    final ArrayDeque<Idle> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    final List<Http1Connection> open = new ArrayList<>();
    /** Connected or connecting. */
    int opened;
    int connecting;

    TargetConnections(Target target) {
      this.target = target;
      this.address = InetSocketAddress.createUnresolved(target.address().host(), target.address().port());
    }

    /** The newest idle connection still open and not past its age limit; the others found on the way closed. */
    Http1Connection takeIdle() {
      if (idle.isEmpty()) {
        return null;
      }
      long now = EventClock.nanoTime(); // within an event its stamp: an exchange's acquire reads no clock of its own
      Idle entry;
      while ((entry = idle.pollFirst()) != null) {
        if (entry.connection.isOpen() && !entry.expired(now)) {
          return entry.connection;
        }
        entry.connection.close();
      }
      return null;
    }

    /** The first waiter that has not withdrawn, taken off the queue; {@code null} for none. */
    Waiter nextWaiter() {
      Waiter waiter = waiters.pollFirst();
      while (waiter != null && waiter.withdrawn()) {
        waiter = waiters.pollFirst();
      }
      return waiter;
    }

    void giveBack(Http1Connection connection, long limitNanos) {
      Waiter waiter = nextWaiter();
      if (waiter != null) {
        waiter.connected(connection);
        return;
      }
      idle.addFirst(new Idle(connection, EventClock.nanoTime(), limitNanos));
    }

    /** Opens connections for the waiters no connection in progress will serve, up to the cap. */
    void openForWaiters() {
      while (!closed && connecting < waiters.size() && opened < maxPerTarget) {
        opened++;
        connecting++;
        Http1Connection connection = new Http1Connection(target);
        ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast("codec", new HttpClientCodec(decoder, false, false))
                .addLast("http1", connection);
          }
        }).connect(address);
        channels.add(connect.channel());
        connect.addListener(done -> {
          connecting--;
          if (done.isSuccess()) {
            connected(connection);
          } else {
            opened--;
            Waiter waiter = nextWaiter();
            if (waiter != null) {
              waiter.connectFailed(done.cause());
            }
            openForWaiters(); // the others get attempts of their own rather than wait for their deadline
          }
        });
      }
    }

    private void connected(Http1Connection connection) {
      open.add(connection);
      connection.onClose(() -> closedConnection(connection));
      if (closed) {
        connection.close();
        return;
      }
      giveBack(connection, keepAliveNanos);
    }

    private void closedConnection(Http1Connection connection) {
      if (!open.remove(connection)) {
        return;
      }
      opened--;
      idle.removeIf(entry -> entry.connection == connection);
      waiters.removeIf(Waiter::withdrawn); // no connection is opened for a request that gave up
      openForWaiters();
    }

    void expire(long nowNanos) {
      for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
        Idle entry = it.next();
        if (entry.expired(nowNanos)) {
          it.remove();
          entry.connection.close();
        }
      }
    }

    void closeAll(Throwable cause) {
      List<Waiter> failed = new ArrayList<>(waiters);
      waiters.clear();
      failed.forEach(w -> {
        if (!w.withdrawn()) {
          w.connectFailed(cause);
        }
      });
      for (Http1Connection connection : List.copyOf(open)) {
        connection.close();
      }
    }
  }
}
