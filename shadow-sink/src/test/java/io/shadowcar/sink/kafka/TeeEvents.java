package io.shadowcar.sink.kafka;

import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds real {@link TeeEvent}s for sink tests and counts how many were fully released. */
final class TeeEvents {

  final AtomicInteger released = new AtomicInteger();

  TeeEvent event(String requestId, byte[] body, Future<CapturedResponse> primary) {
    return new TeeEvent(requestId, HttpMethod.GET, "/items/%2Fa?q=1&q=2", "default",
        List.of(Map.entry("Host", "svc-shadow"), Map.entry("X-Request-Id", requestId),
            Map.entry("X-Shadow-Request", "true"), Map.entry("Accept", "a"), Map.entry("Accept", "b")),
        Buffer.buffer(body), Set.of("kafka"), primary, released::incrementAndGet);
  }
}
