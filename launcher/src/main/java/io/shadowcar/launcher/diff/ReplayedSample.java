package io.shadowcar.launcher.diff;

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
   */
  public static ExchangeSample of(RecordedExchange recorded, AsyncResult<CapturedResponse> candidate,
      long candidateNanos, AsyncResult<CapturedResponse> secondary, long secondaryNanos) {
    RequestCopy request = new RequestCopy(recorded.requestId(), recorded.method(), recorded.uri(),
        DiffListener.headers(recorded.headers()), recorded.body().getBytes());
    Response primary = DiffListener.answer(recorded.primary().orElseThrow(
        () -> new IllegalArgumentException("request " + recorded.requestId() + " has no primary response")));
    return new ExchangeSample(request, primary, response(candidate, candidateNanos),
        secondary == null ? null : response(secondary, secondaryNanos));
  }

  private static Response response(AsyncResult<CapturedResponse> call, long nanos) {
    return call.succeeded() ? DiffListener.answer(call.result()) : DiffListener.failure(call.cause(), nanos);
  }
}
