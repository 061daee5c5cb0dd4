package io.shadowcar.launcher.diff;

import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.dashboard.DiffRecorder;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.FailureKind;
import io.shadowcar.diff.HttpHeader;
import io.shadowcar.diff.RequestCopy;
import io.shadowcar.diff.Response;
import io.shadowcar.sink.observe.CompletedExchange;
import io.shadowcar.sink.observe.ExchangeListener;
import io.shadowcar.sink.observe.ShadowOutcome;
import io.shadowcar.tee.CapturedResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Feeds the diff: turns each completed exchange that has a candidate outcome into an {@link ExchangeSample} (primary,
 * candidate, and the secondary when there was one) and hands it to the {@link DiffRecorder}. Exchanges without a
 * candidate (a Kafka copy) are ignored. Runs on the listener's own thread, the recorder's one caller.
 *
 * <p>A primary that gave no response (the proxy answered 502 / 504 itself) is compared as a connection failure.
 * Sensitive header values are masked before the comparison ({@link HeaderMask}): the same value masks the same way,
 * so the diff still sees equal and different values, and the store never holds the real ones.
 */
public final class DiffListener implements ExchangeListener {

  private final DiffRecorder recorder;
  private final HeaderMask mask;

  public DiffListener(DiffRecorder recorder, HeaderMask mask) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.mask = Objects.requireNonNull(mask, "mask");
  }

  @Override
  public void onExchange(CompletedExchange exchange) {
    if (exchange.candidate().isEmpty()) {
      return;
    }
    recorder.record(sample(exchange, mask));
  }

  /** The engine's view of an exchange that has a candidate outcome, {@code mask}'s headers masked on every side. */
  static ExchangeSample sample(CompletedExchange exchange, HeaderMask mask) {
    var request = exchange.request();
    RequestCopy copy = new RequestCopy(request.requestId(), request.method().name(), request.uri(),
        headers(mask.apply(request.headers())), request.body().getBytes());
    Response primary = exchange.primary().map(r -> answer(r, mask))
        .orElseGet(() -> new Response.Failure(FailureKind.CONNECTION_FAILURE, "the primary gave no response", 0));
    Response candidate = response(exchange.candidate().orElseThrow(), mask);
    Response secondary = exchange.secondary().map(outcome -> response(outcome, mask)).orElse(null);
    return new ExchangeSample(copy, primary, candidate, secondary);
  }

  private static Response response(ShadowOutcome outcome, HeaderMask mask) {
    if (outcome.answered()) {
      return answer(outcome.response(), mask);
    }
    return failure(outcome.failure(), 0);
  }

  /** No answer: a timeout, or a connection failure for anything else. */
  static Response failure(Throwable failure, long latencyNanos) {
    FailureKind kind = failure instanceof TimeoutException ? FailureKind.TIMEOUT : FailureKind.CONNECTION_FAILURE;
    return new Response.Failure(kind, String.valueOf(failure.getMessage()), latencyNanos);
  }

  static Response answer(CapturedResponse response, HeaderMask mask) {
    return new Response.Answer(response.statusCode(), headers(mask.apply(response.headers())),
        response.body().getBytes(), response.bodyTruncated(), response.latency().toNanos());
  }

  static List<HttpHeader> headers(List<Map.Entry<String, String>> headers) {
    // A plain loop: the stream's pipeline was a fifth of the diff thread's time, for four short lists per exchange.
    HttpHeader[] out = new HttpHeader[headers.size()];
    for (int i = 0; i < out.length; i++) {
      Map.Entry<String, String> h = headers.get(i);
      out[i] = new HttpHeader(h.getKey(), h.getValue());
    }
    return Arrays.asList(out);
  }
}
