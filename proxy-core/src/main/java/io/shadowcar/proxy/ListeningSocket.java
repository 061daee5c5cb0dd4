package io.shadowcar.proxy;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The traffic port's listening socket, learnt from the first connection it accepts, and closed first on shutdown.
 * Vert.x stops accepting only once the last event loop's server has left, and connections accepted in between (a
 * hundred milliseconds or more) are closed unserved: a caller that reconnects during the drain would see its request
 * cut. Closed first, the port refuses such callers instead, before they send anything. Thread-safe.
 */
final class ListeningSocket {

  private final AtomicReference<Channel> channel = new AtomicReference<>();

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
