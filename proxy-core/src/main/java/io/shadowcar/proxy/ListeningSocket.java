package io.shadowcar.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The traffic port's listening socket: the event loop each of its servers runs on, when every server listens on it,
 * the socket itself (learnt from the first connection it accepts), closed first on shutdown.
 *
 * <p>One event loop per server: Vert.x gives each verticle instance the next event loop of its pool, a counter shared
 * with every other context the process creates, so two instances can be handed the same loop, and the proxy then runs
 * on one core. Each server claims its loop before it listens, and none listens until all have claimed distinct ones:
 * a clash fails the deployment with {@link SharedEventLoop} before the port opens, and {@code ProxyServer} deploys
 * again.
 *
 * <p>{@link #allListening} completes on the event loop of the last server to listen, not through a Vert.x context:
 * the deployment's own completion is handed to the context of the thread that deployed, an event loop of Vert.x's
 * choosing that may be busy (at start-up, with the admin port's first requests) for a few hundred milliseconds.
 *
 * <p>Closed first on shutdown: Vert.x stops accepting only once the last event loop's server has left, and
 * connections accepted in between (a hundred milliseconds or more) are closed unserved: a caller that reconnects
 * during the drain would see its request cut. Closed first, the port refuses such callers instead, before they send
 * anything. Thread-safe.
 */
final class ListeningSocket {

  /** Two servers were given the same event loop. */
  static final class SharedEventLoop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SharedEventLoop(String loop) {
      super("two of the proxy's servers were given the same event loop (" + loop + ")", null, false, false);
    }
  }

  private final AtomicReference<Channel> channel = new AtomicReference<>();
  private final boolean loopPerServer;
  private final Set<EventLoop> claimed = ConcurrentHashMap.newKeySet();
  private final AtomicInteger unclaimed;
  private final Promise<Void> allClaimed = Promise.promise();
  private final AtomicInteger notListening;
  private final Promise<Void> allListening = Promise.promise();

  /**
   * A socket that {@code servers} servers listen on; with {@code loopPerServer}, each on an event loop of its own.
   */
  ListeningSocket(int servers, boolean loopPerServer) {
    this.loopPerServer = loopPerServer;
    this.unclaimed = new AtomicInteger(servers);
    this.notListening = new AtomicInteger(servers);
  }

  /**
   * Claims the event loop of {@code server} (a server's context); completes on that context once every server has
   * claimed its loop, fails with {@link SharedEventLoop} when another server holds the same one.
   */
  Future<Void> claimLoop(ContextInternal server) {
    EventLoop loop = server.nettyEventLoop();
    if (loopPerServer && !claimed.add(loop)) {
      allClaimed.tryFail(new SharedEventLoop(loop.toString()));
    } else if (unclaimed.decrementAndGet() == 0) {
      allClaimed.tryComplete();
    }
    Promise<Void> onServersLoop = server.promise();
    allClaimed.future().onComplete(onServersLoop);
    return onServersLoop.future();
  }

  /** A server could not start: the others stop waiting for it to claim a loop. */
  void serverFailed(Throwable cause) {
    allClaimed.tryFail(cause);
  }

  /** One more server listens; the last completes {@link #allListening}. */
  void serverListening() {
    if (notListening.decrementAndGet() == 0) {
      allListening.tryComplete();
    }
  }

  /** Completes once every server listens (never when one of them fails: the deployment reports that). */
  Future<Void> allListening() {
    return allListening.future();
  }

  /** Remembers the listening socket that accepted {@code accepted}. */
  void learnFrom(Channel accepted) {
    Channel parent = accepted.parent();
    if (parent != null && channel.get() == null) {
      channel.compareAndSet(null, parent);
    }
  }

  /** Stops accepting; completes once the socket is closed (at once when no connection was ever accepted). */
  Future<Void> close() {
    Channel listening = channel.get();
    if (listening == null) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = Promise.promise();
    listening.close().addListener(done -> closed.complete());
    return closed.future();
  }
}
