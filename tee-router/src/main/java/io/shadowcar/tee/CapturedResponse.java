package io.shadowcar.tee;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A response as seen by the tee (the primary's, tapped on its way to the caller, or the shadow's), for comparison.
 *
 * <p>The body is cut at a cap: {@link #bodyTruncated()} says so and {@link #bodyBytesSeen()} gives the real length.
 * Do not use it to replay a response: it is a sample for diffs.
 *
 * @param statusCode the HTTP status
 * @param headers the response headers in order, repeated names kept; immutable
 * @param body the first bytes of the body, at most the capture cap; read-only by contract, never modify
 * @param bodyTruncated whether the body was longer than the cap (or the capture budget ran out)
 * @param bodyBytesSeen how many body bytes passed, captured or not
 * @param latency from the moment the request was seen (primary) or sent (shadow) to the end of the response
 */
public record CapturedResponse(
    int statusCode,
    List<Map.Entry<String, String>> headers,
    Buffer body,
    boolean bodyTruncated,
    long bodyBytesSeen,
    Duration latency) {

  public CapturedResponse {
    headers = List.copyOf(headers);
    if (body == null) {
      body = Buffer.buffer(0);
    }
  }

  /** First value of a header, case-insensitive, or {@code null}. */
  public String header(String name) {
    return HeaderList.first(headers, name);
  }

  /** An immutable copy of a Vert.x header map, keeping order and repeated names. */
  public static List<Map.Entry<String, String>> copyOf(MultiMap headers) {
    // not sized by headers.size(): Vert.x's header map counts its distinct names by building a set of them, once per
    // captured answer on the event loop (CopyHeaders sizes the copy's request head the same way)
    List<Map.Entry<String, String>> list = new ArrayList<>(16);
    for (Map.Entry<String, String> e : headers) {
      list.add(Map.entry(e.getKey(), e.getValue()));
    }
    return List.copyOf(list);
  }
}
