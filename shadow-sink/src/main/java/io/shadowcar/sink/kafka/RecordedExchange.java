package io.shadowcar.sink.kafka;

import io.shadowcar.sink.kafka.ExchangeRecordFormat.PrimaryError;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One exchange read back from the Kafka sink's topic ({@link ExchangeRecordReader}): the request copy as the sidecar
 * published it and, when it came in time, the primary's response.
 *
 * <p>The request is complete and can be sent again byte for byte; the primary's response is a sample for diffs (its
 * body is cut at the tee's capture cap, see {@link CapturedResponse#bodyTruncated()}), never something to serve.
 *
 * @param requestId the {@code X-Request-Id} shared by the primary request and the copy (also the record key)
 * @param timestamp when the sidecar saw the copy, epoch milliseconds
 * @param route the tee route's name ({@code "default"} without routes)
 * @param method the request method, exactly as recorded (custom methods included)
 * @param uri path and query, byte-exact as the caller sent them
 * @param headers the copy's headers in order, repeated names kept; immutable
 * @param body the request body (empty when none)
 * @param primary the primary's response, when the record carries one
 * @param primaryError why there is no primary response; empty when there is one, or when a newer writer gave a reason
 *     this reader does not know
 */
public record RecordedExchange(
    String requestId,
    long timestamp,
    String route,
    String method,
    String uri,
    List<Map.Entry<String, String>> headers,
    Buffer body,
    Optional<CapturedResponse> primary,
    Optional<PrimaryError> primaryError) {

  public RecordedExchange {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    headers = List.copyOf(headers);
    body = body == null ? Buffer.buffer(0) : body;
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(primaryError, "primaryError");
  }
}
