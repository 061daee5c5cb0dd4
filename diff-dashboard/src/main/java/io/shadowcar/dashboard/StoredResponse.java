package io.shadowcar.dashboard;

import io.shadowcar.diff.HttpHeader;
import io.shadowcar.diff.Response;
import java.util.List;

/**
 * One instance's answer in an example exchange.
 *
 * @param status the HTTP status, 0 for a failure
 * @param failure {@code CONNECTION_FAILURE} or {@code TIMEOUT}, null for an answer
 * @param body null for a failure
 */
public record StoredResponse(int status, String failure, String failureMessage, long latencyMicros,
    List<HttpHeader> headers, StoredBody body) {

  public StoredResponse {
    headers = List.copyOf(headers);
  }

  static StoredResponse of(Response response, int maxBodyBytes) {
    if (response == null) {
      return null;
    }
    long micros = response.latencyNanos() / 1000;
    if (response instanceof Response.Answer a) {
      return new StoredResponse(a.status(), null, null, micros, a.headers(),
          StoredBody.of(a.body(), a.truncated(), maxBodyBytes));
    }
    Response.Failure f = (Response.Failure) response;
    return new StoredResponse(0, f.kind().name(), f.message(), micros, List.of(), null);
  }
}
