package io.shadowcar.proxy;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The traffic port's listening socket: when every event loop's server listens on it, learnt from the first connection
 * it accepts, and closed first on shutdown.
 *
 * <p>{@link #allListening} completes on the event loop of the last server to listen, not through a Vert.x context:
 * the deployment's own completion is handed to the context of the thread that deployed, an event loop of its choosing
 * that may be busy (at start-up, with the admin port's first requests) for a few hundred milliseconds.
 *
 * <p>Closed first on shutdown: Vert.x stops accepting only once the last event loop's server has left, and
 * connections accepted in between (a hundred milliseconds or more) are closed unserved: a caller that reconnects
 * during the drain would see its request cut. Closed first, the port refuses such callers instead, before they send
 * anything. Thread-safe.
 */
final class ListeningSocket {

  private final AtomicReference<Channel> channel = new AtomicReference<>();
  private final AtomicInteger notListening;
  private final Promise<Void> allListening = Promise.promise();

  /** A socket that {@code servers} servers (one per event loop) listen on. */
  ListeningSocket(int servers) {
    this.notListening = new AtomicInteger(servers);
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
