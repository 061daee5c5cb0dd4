package io.shadowcar.sink.observe;

import io.shadowcar.tee.TeeEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * The copied request as the shadow saw it, detached from the {@link TeeEvent} so it may outlive the event's holds (its
 * bytes are then counted by the listener queues instead of the tee's budget).
 *
 * @param requestId the {@code X-Request-Id} shared by the primary request and the copy
 * @param method the method
 * @param uri path and query, byte-exact as the caller sent them
 * @param route the route's name
 * @param headers the copy's headers in order; immutable
 * @param body the request body; read-only by contract
 */
public record RequestCopy(String requestId, HttpMethod method, String uri, String route,
    List<Map.Entry<String, String>> headers, Buffer body) {

  public RequestCopy {
    headers = List.copyOf(headers);
  }

  /** The event's request; reads only immutable fields, so it is fine before or after the event's release. */
  public static RequestCopy of(TeeEvent event) {
    return new RequestCopy(event.requestId(), event.method(), event.uri(), event.route(), event.headers(),
        event.body());
  }
}
