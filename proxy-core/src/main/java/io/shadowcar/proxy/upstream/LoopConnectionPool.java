package io.shadowcar.proxy.upstream;

import io.shadowcar.common.headers.HeaderTokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's keep-alive HTTP/1.1 connections to its plain {@code http://} primaries: per target a stack of idle
 * connections (the most recently used on top, so a quiet period lets the others expire), at most {@code maxPerTarget}
 * open, and the requests waiting, in order, when all are busy.
 *
 * <p>Why not the pool of Vert.x's client: in Vert.x 5.0 every pooled request builds a new context, looks its endpoint
 * up in a concurrent map and queues on the pool's executor, about a tenth of the proxy's CPU per request on the plain
 * path. These connections are only ever touched by their own event loop, so a deque does the same job.
 *
 * <p>The waiting requests per target may be bounded ({@code maxWaitersPerTarget}): one more then fails at once with
 * a {@link ConnectionPoolTooBusyException}, as Vert.x's pool does when its wait queue is full. A waiter whose promise
 * was completed by its owner (its deadline passed) is skipped and never gets a connection.
 *
 * <p>The exchange that got a request gives its connection back with {@link #release} once both the request and the
 * response are complete; a connection whose exchange failed, or whose response asked to close, is closed instead.
 * Idle connections are closed after the keep-alive timeout (or the server's shorter {@code Keep-Alive: timeout}) by
 * {@link #expireIdle}, which the loop's sweep timer calls.
 *
 * <p>Event-loop confined.
 */
public final class LoopConnectionPool {

  private static final Logger LOG = LoggerFactory.getLogger(LoopConnectionPool.class);
  private static final long SERVER_LIMIT_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final HttpClientAgent client;
  private final int maxPerTarget;
  private final int maxWaitersPerTarget;
  private final boolean keepAlive;
  private final long keepAliveNanos;
  private final Map<Target, TargetConnections> byTarget = new IdentityHashMap<>();
  /** Every open connection, by the connection object requests report as theirs. */
  private final Map<HttpConnection, Pooled> open = new IdentityHashMap<>();
  private boolean closed;

  /**
   * @param client the client that opens the connections (its options: timeouts, header sizes, TCP settings)
   * @param keepAlive whether connections are reused at all
   * @param keepAliveMs how long an idle connection is kept
   */
  public LoopConnectionPool(HttpClientAgent client, int maxPerTarget, boolean keepAlive, long keepAliveMs) {
    this(client, maxPerTarget, Integer.MAX_VALUE, keepAlive, keepAliveMs);
  }

  /** A pool whose targets each hold at most {@code maxWaitersPerTarget} waiting requests. */
  public LoopConnectionPool(HttpClientAgent client, int maxPerTarget, int maxWaitersPerTarget, boolean keepAlive,
      long keepAliveMs) {
    this.client = client;
    this.maxPerTarget = maxPerTarget;
    this.maxWaitersPerTarget = maxWaitersPerTarget;
    this.keepAlive = keepAlive;
    this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMs);
  }

  /**
   * A request to {@code target} on an idle connection, or on one that is opened or freed for it. {@code options} is
   * read before this returns (it may be reused by the caller right after).
   */
  public Future<HttpClientRequest> request(Target target, RequestOptions options) {
    TargetConnections connections = connections(target);
    Pooled idle = connections.takeIdle();
    if (idle != null) {
      // Synchronous: on its own event loop, with no stream active, the connection creates the stream at once.
      return idle.connection.request(options);
    }
    Promise<HttpClientRequest> promise = Promise.promise();
    connections.enqueue(options, promise);
    return promise.future();
  }

  /**
   * As {@link #request(Target, RequestOptions)}, completing {@code promise}; its owner may fail it first (a deadline)
   * to withdraw a request still waiting for a connection.
   */
  public void request(Target target, RequestOptions options, Promise<HttpClientRequest> promise) {
    if (closed) {
      // e.g. a copy handed to its loop just before the sink closed: no connection will ever be opened for it
      promise.fail(new IllegalStateException("the connection pool is closed"));
      return;
    }
    TargetConnections connections = connections(target);
    Pooled idle = connections.takeIdle();
    if (idle != null) {
      idle.connection.request(options).onComplete(promise);
    } else {
      connections.enqueue(options, promise);
    }
  }

  private TargetConnections connections(Target target) {
    TargetConnections connections = byTarget.get(target);
    if (connections == null) {
      connections = new TargetConnections(target);
      byTarget.put(target, connections);
    }
    return connections;
  }

  /**
   * Gives back the connection of {@code request}, which {@code response} (possibly {@code null}) answered: kept for
   * the next request when both are complete and the primary did not ask to close it, closed otherwise. Requests of
   * other clients are ignored.
   */
  public void release(HttpClientRequest request, HttpClientResponse response, boolean complete) {
    Pooled pooled = open.get(request.connection());
    if (pooled == null) {
      return;
    }
    long serverKeepAliveNanos = complete && response != null ? keepAliveNanos(response) : 0;
    if (closed || serverKeepAliveNanos <= 0) {
      pooled.connection.close();
      return;
    }
    pooled.idleLimitNanos = Math.min(keepAliveNanos, serverKeepAliveNanos);
    pooled.owner.giveBack(pooled);
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
    return open.size();
  }

  /** Closes every connection and fails every waiting request. */
  public void close() {
    closed = true;
    for (TargetConnections connections : byTarget.values()) {
      connections.failWaiters(new IllegalStateException("the proxy is stopping"));
    }
    for (Pooled pooled : List.copyOf(open.values())) {
      pooled.connection.close();
    }
  }

  /** How long the primary lets this connection idle after {@code response}: 0 when it is to be closed now. */
  private long keepAliveNanos(HttpClientResponse response) {
    if (!keepAlive) {
      return 0;
    }
    String connection = response.headers().get(HttpHeaders.CONNECTION);
    boolean keep = response.version() != HttpVersion.HTTP_1_0;
    if (connection != null) {
      if (HeaderTokens.contains(connection, "close")) {
        return 0;
      }
      keep |= HeaderTokens.contains(connection, "keep-alive");
    }
    if (!keep) {
      return 0;
    }
    String hint = response.headers().get(HttpHeaders.KEEP_ALIVE);
    long seconds = hint == null ? -1 : HeaderTokens.keepAliveTimeoutSeconds(hint);
    // A second less than the server's own limit: a request sent just as the server closes would fail.
    return seconds < 0 ? keepAliveNanos : TimeUnit.SECONDS.toNanos(seconds) - SERVER_LIMIT_MARGIN_NANOS;
  }

  private record Waiter(RequestOptions options, Promise<HttpClientRequest> promise) {
    /** Its owner gave up waiting. */
    boolean withdrawn() {
      return promise.future().isComplete();
    }
  }

  /** An open connection and when it went idle. */
  private static final class Pooled {
    final HttpClientConnection connection;
    final TargetConnections owner;
    long idleSinceNanos;
    long idleLimitNanos;

    Pooled(HttpClientConnection connection, TargetConnections owner) {
      this.connection = connection;
      this.owner = owner;
    }

    boolean expired(long nowNanos) {
      return nowNanos - idleSinceNanos >= idleLimitNanos;
    }
  }

  /** The connections to one target. */
  private final class TargetConnections {
    final Target target;
    /** Idle connections, the most recently used first. */
    final ArrayDeque<Pooled> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Connected or connecting. */
    int opened;
    int connecting;

    TargetConnections(Target target) {
      this.target = target;
    }

    Pooled takeIdle() {
      Pooled pooled;
      while ((pooled = idle.pollFirst()) != null) {
        // a connection with a stream still active would queue the request: never the case when release() is
        // called as documented, but never reuse one then
        if (pooled.connection.activeStreams() == 0 && !pooled.expired(System.nanoTime())) {
          return pooled;
        }
        pooled.connection.close();
      }
      return null;
    }

    /** Queues a request for the next free connection, or fails it when the queue is full. */
    void enqueue(RequestOptions options, Promise<HttpClientRequest> promise) {
      if (waiters.size() >= maxWaitersPerTarget) {
        waiters.removeIf(Waiter::withdrawn);
        if (waiters.size() >= maxWaitersPerTarget) {
          promise.fail(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of "
              + maxWaitersPerTarget));
          return;
        }
      }
      waiters.add(new Waiter(new RequestOptions(options), promise));
      openForWaiters();
    }

    /** The first waiter that has not withdrawn, taken off the queue; {@code null} for none. */
    Waiter nextWaiter() {
      Waiter waiter = waiters.pollFirst();
      while (waiter != null && waiter.withdrawn()) {
        waiter = waiters.pollFirst();
      }
      return waiter;
    }

    void giveBack(Pooled pooled) {
      Waiter waiter = nextWaiter();
      if (waiter != null) {
        pooled.connection.request(waiter.options).onComplete(waiter.promise);
        return;
      }
      pooled.idleSinceNanos = System.nanoTime();
      idle.addFirst(pooled);
    }

    /** Opens connections for the waiters no connection in progress will serve, up to the cap. */
    void openForWaiters() {
      while (!closed && connecting < waiters.size() && opened < maxPerTarget) {
        opened++;
        connecting++;
        client.connect(new HttpConnectOptions().setServer(target.address()))
            .onComplete(ar -> {
              connecting--;
              if (ar.succeeded()) {
                connected(ar.result());
              } else {
                opened--;
                Waiter waiter = nextWaiter();
                if (waiter != null) {
                  waiter.promise.fail(ar.cause());
                }
              }
            });
      }
    }

    private void connected(HttpClientConnection connection) {
      Pooled pooled = new Pooled(connection, this);
      open.put(connection, pooled);
      connection.closeHandler(v -> closedConnection(pooled));
      // A connection reset while idle (its primary restarting) has no request to fail; without a handler here Vert.x
      // logs that at ERROR. A request in flight learns of it through its own handlers, and the close handler above
      // drops the connection.
      connection.exceptionHandler(e -> LOG.debug("connection to {} failed: {}", target.uri(), e.toString()));
      if (closed) {
        connection.close();
        return;
      }
      pooled.idleLimitNanos = keepAliveNanos;
      giveBack(pooled);
    }

    private void closedConnection(Pooled pooled) {
      if (open.remove(pooled.connection) == null) {
        return;
      }
      opened--;
      idle.remove(pooled);
      waiters.removeIf(Waiter::withdrawn); // no connection is opened for a request that gave up
      openForWaiters();
    }

    void expire(long nowNanos) {
      for (Iterator<Pooled> it = idle.iterator(); it.hasNext(); ) {
        Pooled pooled = it.next();
        if (pooled.expired(nowNanos)) {
          it.remove();
          pooled.connection.close();
        }
      }
    }

    void failWaiters(Throwable cause) {
      List<Waiter> failed = new ArrayList<>(waiters);
      waiters.clear();
      failed.forEach(w -> w.promise.tryFail(cause));
    }
  }
}
