package io.shadowcar.tee;

import io.shadowcar.common.grpc.GrpcWire;
import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one selected exchange: copies the request body into a bounded buffer while it streams to the primary, hands
 * a {@link TeeEvent} to the handler at request end, then samples the primary's response for the diff. It only copies
 * bytes; it never pauses, alters or fails the exchange. All callbacks run on the caller's event loop, in order.
 *
 * <p>Release path: {@link #onComplete} is the exchange's single exit (the proxy calls it exactly once); it drops an
 * unfinished capture and gives up the exchange's hold on the lease. The event's hold goes with the event.
 */
final class TeeCapture implements ExchangeTap {

  private static final Logger LOG = LoggerFactory.getLogger(TeeCapture.class);

  private enum State { CAPTURING, HANDED_OFF, DROPPED, DONE }

  private final RequestHead head;
  private final RouterPlan.Route route;
  private final TeeConfig config;
  private final CopyHeaders copyHeaders;
  private final TeeMetrics metrics;
  private final TeeEventHandler handler;
  private final CaptureLease lease;
  private final long startNanos = System.nanoTime();
  private final Promise<CapturedResponse> primary = Promise.promise();
  private final boolean grpc;

  private State state = State.CAPTURING;
  private Buffer body;
  private int status = -1;
  private List<Map.Entry<String, String>> responseHeaders = List.of();
  private Buffer responseBody;
  private boolean responseTruncated;
  private long responseBytesSeen;

  TeeCapture(RequestHead head, RouterPlan.Route route, RouterPlan plan, long declaredLength, TeeMetrics metrics,
      TeeEventHandler handler, BufferBudget budget) {
    this.head = head;
    this.route = route;
    this.config = plan.config;
    this.copyHeaders = route.copyHeaders();
    this.metrics = metrics;
    this.handler = handler;
    this.lease = new CaptureLease(budget, config.maxBufferedBytes());
    // Size the buffer from Content-Length when known (already checked against the cap), so it never regrows.
    this.body = Buffer.buffer((int) Math.max(0, Math.min(declaredLength, config.maxBodyBytes())));
    this.grpc = GrpcWire.isGrpc(head.headers().get(HttpHeaders.CONTENT_TYPE));
  }

  @Override
  public void onRequestChunk(Buffer chunk) {
    if (state != State.CAPTURING) {
      return;
    }
    int n = chunk.length();
    // The accumulated size is what is capped, not each chunk: many small chunks add up.
    if ((long) body.length() + n > config.maxBodyBytes()) {
      drop(DropReason.BODY_TOO_LARGE);
    } else if (!lease.tryReserve(n)) {
      drop(DropReason.BUFFER_FULL);
    } else {
      body.appendBuffer(chunk);
      if (grpc && body.length() > GrpcWire.PREFIX_BYTES
          && body.getUnsignedInt(1) < body.length() - GrpcWire.PREFIX_BYTES) {
        drop(DropReason.GRPC_STREAMING); // a second message began: the call streams, its capture can go now
      }
    }
  }

  @Override
  public void onRequestEnd() {
    if (state != State.CAPTURING) {
      return;
    }
    if (grpc && !isOneMessage(body)) {
      drop(DropReason.GRPC_STREAMING);
      return;
    }
    state = State.HANDED_OFF;
    lease.hold();
    TeeEvent event = new TeeEvent(head.requestId(), head.method(), head.uri(), route.name(),
        copyHeaders.rewrite(head.headers(), head.requestId()), body, route.sinks(), primary.future(),
        lease::release);
    body = null;
    try {
      handler.onTeeEvent(event);
    } catch (RuntimeException e) {
      // A handler must not throw; the event's hold is then its problem, but the exchange is never affected.
      LOG.warn("tee event handler failed for {}", head.requestId(), e);
    }
  }

  /**
   * Whether a gRPC request body is exactly one length-prefixed message: a unary or server-streaming call, which can
   * be sent again as a whole. Anything else streams from the client and is not copied.
   */
  private static boolean isOneMessage(Buffer body) {
    return body.length() >= GrpcWire.PREFIX_BYTES
        && body.getUnsignedInt(1) == body.length() - GrpcWire.PREFIX_BYTES;
  }

  @Override
  public void onResponseHead(int statusCode, MultiMap headers) {
    if (state == State.CAPTURING || state == State.HANDED_OFF) {
      status = statusCode;
      responseHeaders = CapturedResponse.copyOf(headers);
      responseBody = Buffer.buffer(0);
    }
  }

  /** gRPC's status is in the trailers: they join the captured headers, after the response head's own. */
  @Override
  public void onResponseTrailers(MultiMap trailers) {
    if (responseBody != null && (state == State.CAPTURING || state == State.HANDED_OFF)) {
      List<Map.Entry<String, String>> all = new java.util.ArrayList<>(responseHeaders);
      all.addAll(CapturedResponse.copyOf(trailers));
      responseHeaders = List.copyOf(all);
    }
  }

  @Override
  public void onResponseChunk(Buffer chunk) {
    if (responseBody == null || (state != State.CAPTURING && state != State.HANDED_OFF)) {
      return;
    }
    int n = chunk.length();
    responseBytesSeen += n;
    if (responseTruncated) {
      return;
    }
    int room = route.responseCaptureBytes() - responseBody.length();
    int take = Math.min(room, n);
    if (take > 0 && lease.tryReserve(take)) {
      responseBody.appendBuffer(chunk, 0, take);
    } else if (take > 0) {
      responseTruncated = true;
      return;
    }
    if (take < n) {
      responseTruncated = true;
    }
  }

  @Override
  public void onComplete(Throwable failure) {
    State was = state;
    if (was == State.DONE) {
      return;
    }
    state = State.DONE;
    try {
      if (was == State.CAPTURING) {
        metrics.count(DropReason.CALLER_ABORTED);
        dropBody();
      } else if (was == State.HANDED_OFF) {
        if (failure == null && status >= 0) {
          primary.tryComplete(new CapturedResponse(status, responseHeaders, responseBody, responseTruncated,
              responseBytesSeen, Duration.ofNanos(System.nanoTime() - startNanos)));
        } else {
          primary.tryFail(failure != null ? failure : new IllegalStateException("primary exchange gave no response"));
        }
      }
    } finally {
      lease.release();
    }
  }

  private void drop(DropReason reason) {
    metrics.count(reason);
    state = State.DROPPED;
    dropBody();
  }

  private void dropBody() {
    if (body != null) {
      lease.giveBack(body.length());
      body = null;
    }
  }
}
