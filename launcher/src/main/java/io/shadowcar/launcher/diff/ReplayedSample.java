package io.shadowcar.launcher.diff;

import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.RequestCopy;
import io.shadowcar.diff.Response;
import io.shadowcar.sink.kafka.RecordedExchange;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.AsyncResult;

/**
 * The engine's view of a recorded exchange replayed by a diff worker: the request and the primary's response as the
 * sidecar recorded them, the candidate's (and the secondary's) as the worker got them now. Converts like
 * {@link DiffListener}, so a worker's diff and a sidecar's diff read the same exchange the same way.
 */
public final class ReplayedSample {

  private ReplayedSample() {}

  /**
   * The sample; {@code recorded} must carry a primary response. A failed call becomes a failure ({@code TIMEOUT} for a
   * timeout, else {@code CONNECTION_FAILURE}) with the time it took; {@code secondary} may be null (none asked).
   * {@code mask}'s headers are masked on every side (a value the sidecar masked already stays as it is), so what the
   * worker publishes holds no credential and, with the sidecars' key, compares like theirs.
   */
  public static ExchangeSample of(RecordedExchange recorded, AsyncResult<CapturedResponse> candidate,
      long candidateNanos, AsyncResult<CapturedResponse> secondary, long secondaryNanos, HeaderMask mask) {
    RequestCopy request = new RequestCopy(recorded.requestId(), recorded.method(), recorded.uri(),
        DiffListener.headers(mask.apply(recorded.headers())), recorded.body().getBytes());
    Response primary = DiffListener.answer(recorded.primary().orElseThrow(
        () -> new IllegalArgumentException("request " + recorded.requestId() + " has no primary response")), mask);
    return new ExchangeSample(request, primary, response(candidate, candidateNanos, mask),
        secondary == null ? null : response(secondary, secondaryNanos, mask));
  }

  private static Response response(AsyncResult<CapturedResponse> call, long nanos, HeaderMask mask) {
    return call.succeeded() ? DiffListener.answer(call.result(), mask) : DiffListener.failure(call.cause(), nanos);
  }
}
