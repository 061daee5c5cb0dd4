package io.shadowcar.proxy;

import io.shadowcar.proxy.TunnelLimit.Close;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;

/**
 * Two connections spliced byte for byte after the primary answered an {@code Upgrade} with 101: what one side sends
 * is written to the other, nothing is parsed. A side whose peer cannot keep up is paused until the peer's write
 * queue drains, so a slow reader holds back the writer instead of filling memory. The tunnel closes both connections
 * when either side closes or fails, or when nothing crossed for the idle timeout, and gives its slot back once.
 *
 * <p>Both sockets belong to the same event loop (the caller's); everything here runs on it.
 */
final class Tunnel {

  private final NetSocket caller;
  private final NetSocket primary;
  private final TunnelLimit limit;
  private final Vertx vertx;
  private final long idleNanos;
  private long lastActivity = System.nanoTime();
  private long idleTimer = -1;
  private boolean closed;

  private Tunnel(NetSocket caller, NetSocket primary, TunnelLimit limit, Vertx vertx) {
    this.caller = caller;
    this.primary = primary;
    this.limit = limit;
    this.vertx = vertx;
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(limit.config().idleTimeoutMs());
  }

  /**
   * Splices {@code caller} and {@code primary} (which may be paused, holding bytes the primary sent right after its
   * 101) and takes over the slot the upgrade holds in {@code limit}.
   */
  static void splice(NetSocket caller, NetSocket primary, TunnelLimit limit, Vertx vertx) {
    new Tunnel(caller, primary, limit, vertx).start();
  }

  /** Gives the caller's response the primary's 101: its end-to-end headers, {@code Connection: Upgrade}, and its
   * {@code Upgrade} (the protocol asked for when it names none). */
  static void switchingProtocols(HttpClientResponse from, HttpServerResponse to, String requested) {
    to.setStatusCode(101);
    ForwardedHeaders.copyResponse(from.headers(), to.headers());
    String protocol = from.headers().get(HttpHeaders.UPGRADE);
    to.headers().set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE)
        .set(HttpHeaders.UPGRADE, protocol == null ? requested : protocol);
  }

  private void start() {
    limit.opened();
    caller.handler(chunk -> relay(chunk, primary, caller));
    primary.handler(chunk -> relay(chunk, caller, primary));
    caller.drainHandler(v -> primary.resume());
    primary.drainHandler(v -> caller.resume());
    caller.endHandler(v -> close(Close.CALLER));
    caller.closeHandler(v -> close(Close.CALLER));
    primary.endHandler(v -> close(Close.PRIMARY));
    primary.closeHandler(v -> close(Close.PRIMARY));
    caller.exceptionHandler(this::onFailure);
    primary.exceptionHandler(this::onFailure);
    armIdleTimer(idleNanos);
    caller.resume();
    primary.resume();
  }

  private void onFailure(Throwable cause) {
    if (!(cause instanceof HttpClosedException)) {
      close(Close.ERROR); // a plain close of the primary's connection comes here first, then as its end
    }
  }

  private void relay(Buffer chunk, NetSocket to, NetSocket from) {
    if (closed) {
      return;
    }
    lastActivity = System.nanoTime();
    to.write(chunk);
    if (to.writeQueueFull()) {
      from.pause();
    }
  }

  private void armIdleTimer(long delayNanos) {
    idleTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), id -> onIdleTimer());
  }

  private void onIdleTimer() {
    if (closed) {
      return;
    }
    long idle = System.nanoTime() - lastActivity;
    if (idle >= idleNanos) {
      close(Close.IDLE);
    } else {
      armIdleTimer(idleNanos - idle);
    }
  }

  /** Closes both sides once; bytes already written to a side are flushed before its connection closes. */
  private void close(Close reason) {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(idleTimer);
    limit.closed(reason);
    caller.close();
    primary.close();
  }
}
