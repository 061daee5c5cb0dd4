package io.shadowcar.dashboard;

import io.shadowcar.diff.HttpHeader;
import io.shadowcar.diff.RequestCopy;
import java.util.List;

/** The request of an example exchange, as sent to every instance. */
public record StoredRequest(String requestId, String method, String uri, List<HttpHeader> headers, StoredBody body) {

  public StoredRequest {
    headers = List.copyOf(headers);
  }

  static StoredRequest of(RequestCopy request, int maxBodyBytes) {
    return new StoredRequest(request.requestId(), request.method(), request.uri(), request.headers(),
        StoredBody.of(request.body(), false, maxBodyBytes));
  }
}
