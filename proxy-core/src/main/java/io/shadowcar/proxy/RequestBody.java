package io.shadowcar.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The request side of one {@link Exchange}: the caller's body on its way to the primary. A body of at most {@link
 * CallerLimits#requestBufferBytes()} is read completely before the primary is called, so a slow uploader holds only
 * its own connection and buffer, never a primary connection that other requests wait for; a larger one (or one that
 * arrives while every buffer together is full) is streamed with back-pressure. While the proxy waits for the caller's
 * bytes a watch runs ({@link CallerLimits#bodyIdleTimeoutMs()}): as a {@link DeadlineQueue.Entry} this sits in its
 * loop's body-idle queue, and a caller silent for that long is answered 408.
 *
 * <p>Event-loop confined; owned by its exchange, which calls {@link #release()} when it ends.
 */
final class RequestBody extends DeadlineQueue.Entry {

  /** How a request's body reaches the primary. */
  enum Mode {
    /** No body: the primary is called at once. */
    NONE,
    /** Read completely (up to the buffer size) before the primary is called. */
    BUFFER,
    /** Written to the primary as it arrives. */
    STREAM
  }

  private final Exchange exchange;
  private final LoopContext loop;
  private final HttpServerRequest request;
  private final Mode mode;
  /** Chunks read ahead and not yet written to the primary; {@code null} once written (or never read ahead). */
  private List<Buffer> chunks;
  private long reserved;
  private boolean buffering;
  private PrimaryRequest upstream;
  private GuardedTap tap;
  private boolean ended;
  /** The exchange waits for the caller's next bytes (watched, when the body idle timeout is on). */
  private boolean awaitingCaller;

  RequestBody(Exchange exchange, LoopContext loop, HttpServerRequest request) {
    this.exchange = exchange;
    this.loop = loop;
    this.request = request;
    this.mode = mode(request, loop.limits.requestBufferBytes());
    if (mode == Mode.STREAM) {
      loop.metrics.bodyStreamed(false);
    }
  }

  /** How {@code request}'s body is to reach the primary with buffers of {@code limit} bytes ({@code 0}: none). */
  static Mode mode(HttpServerRequest request, int limit) {
    MultiMap headers = request.headers();
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      long n = parseLength(length);
      if (n == 0) {
        return Mode.NONE;
      }
      return n > 0 && n <= limit ? Mode.BUFFER : Mode.STREAM;
    }
    boolean mayHaveBody = request.version() == HttpVersion.HTTP_2
        ? !request.isEnded()
        : headers.contains(HttpHeaders.TRANSFER_ENCODING);
    if (!mayHaveBody) {
      return Mode.NONE;
    }
    return limit > 0 ? Mode.BUFFER : Mode.STREAM;
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // the decoder refuses such heads on HTTP/1.x; streamed otherwise, as before
    }
  }

  /**
   * Starts reading a body that is to be read ahead, asking for it with {@code 100 Continue} when the caller waits for
   * that (the proxy decides, as nginx and Envoy do, so {@code Expect} is not forwarded). False when the exchange is
   * to call the primary now instead.
   */
  boolean readAhead(MultiMap forwardedHeaders, HttpServerResponse response) {
    if (mode != Mode.BUFFER) {
      return false;
    }
    buffering = true;
    chunks = new ArrayList<>(4);
    if (expectsContinue()) {
      forwardedHeaders.remove(HttpHeaders.EXPECT);
      response.writeContinue();
    }
    watch();
    request.resume();
    return true;
  }

  private boolean expectsContinue() {
    return request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
  }

  /** Bytes of a body read ahead completely (the primary gets all of it at once), or {@code -1}. */
  long readAheadBytes() {
    if (chunks == null || !ended) {
      return -1;
    }
    long n = 0;
    for (Buffer chunk : chunks) {
      n += chunk.length();
    }
    return n;
  }

  /** The primary's connection is ready: what was read ahead goes first, then the rest streams (or the end). */
  void attach(PrimaryRequest up, GuardedTap exchangeTap) {
    upstream = up;
    tap = exchangeTap;
    if (chunks != null) {
      for (Buffer chunk : chunks) {
        if (tap != null) {
          tap.requestChunk(chunk);
        }
        up.write(chunk);
      }
      chunks = null;
      loop.buffers.release(reserved);
      reserved = 0;
    }
    if (ended) {
      end();
      return;
    }
    if (mode != Mode.BUFFER && expectsContinue()) {
      // the primary decides whether the caller sends the body; the watch starts with its 100
      up.sendHeadAwaitingContinue();
    } else if (mode != Mode.NONE) {
      watch();
    }
    request.resume();
  }

  void onChunk(Buffer chunk) {
    touched();
    if (upstream == null) {
      if (chunks != null && !keep(chunk) && !exchange.connecting()) {
        request.pause();
        unwatch();
        exchange.connect();
      }
      return;
    }
    if (tap != null) {
      tap.requestChunk(chunk);
    }
    upstream.write(chunk);
    if (upstream.writeQueueFull()) {
      request.pause();
      unwatch(); // the wait is the primary's, not the caller's
    }
  }

  /**
   * Keeps a chunk read ahead; false once the body outgrew its buffer or every buffer together is full (the chunk is
   * kept all the same, and written first when the primary is ready).
   */
  private boolean keep(Buffer chunk) {
    chunks.add(chunk);
    if (!buffering) {
      return false;
    }
    int n = chunk.length();
    boolean fits = reserved + n <= loop.limits.requestBufferBytes();
    if (fits && loop.buffers.tryReserve(n)) {
      reserved += n;
      return true;
    }
    buffering = false;
    loop.metrics.bodyStreamed(fits);
    return false;
  }

  void onUpstreamDrained() {
    request.resume();
    if (!ended) {
      watch();
    }
  }

  /** The caller's body ended (completely, or cut off by the decoder: {@code cut}). */
  void onEnd(Rejection cut) {
    ended = true;
    unwatch();
    if (cut != null) {
      exchange.cutOff(cut);
    } else if (upstream != null) {
      end();
    } else if (buffering) {
      buffering = false;
      loop.metrics.bodyBuffered();
      exchange.connect();
    } // otherwise a connection is on its way: the end follows what was read ahead
  }

  private void end() {
    if (tap != null) {
      tap.requestEnd();
    }
    exchange.endUpstream(upstream);
    exchange.bodySent();
  }

  boolean ended() {
    return ended;
  }

  /**
   * True while the primary has part of the body and the exchange waits for the caller's next bytes (not for the
   * primary to read them, nor for its {@code 100 Continue}): a primary that gives up now (its own read timeout) fails
   * because of the caller.
   */
  boolean waitingForCaller() {
    return upstream != null && awaitingCaller && !ended;
  }

  /** Watches the caller's pace from now: silent for {@code bodyIdleTimeoutMs}, the exchange is answered 408. */
  void watch() {
    if (ended) {
      return;
    }
    awaitingCaller = true;
    if (loop.bodyIdle != null) {
      loop.bodyIdle.add(this, System.nanoTime());
    }
  }

  private void unwatch() {
    awaitingCaller = false;
    if (loop.bodyIdle != null) {
      loop.bodyIdle.remove(this);
    }
  }

  private void touched() {
    if (queued) {
      loop.bodyIdle.add(this, System.nanoTime());
    }
  }

  /** Drops what is held and stops watching; runs once, when the exchange ends. */
  void release() {
    unwatch();
    chunks = null;
    loop.buffers.release(reserved);
    reserved = 0;
  }

  @Override
  protected void onDeadline() {
    exchange.onBodyIdle();
  }
}
