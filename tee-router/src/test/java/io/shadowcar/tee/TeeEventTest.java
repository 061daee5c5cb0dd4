package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TeeEventTest {

  @Test
  void aBodyIsKeptAsGivenAndTheHeadersPacked() {
    Buffer body = Buffer.buffer("{\"a\":1}");
    TeeEvent event = event(body);

    assertSame(body, event.body());
    assertEquals(PackedHeaders.class, event.headers().getClass());
    assertEquals("r-1", event.header("x-request-id"));
    assertEquals(List.of(Map.entry("Host", "api"), Map.entry("X-Request-Id", "r-1")), event.headers());
  }

  private static TeeEvent event(Buffer body) {
    return new TeeEvent("r-1", HttpMethod.POST, "/a", "default",
        List.of(Map.entry("Host", "api"), Map.entry("X-Request-Id", "r-1")), body, Set.of("http"),
        Future.succeededFuture(), () -> { });
  }
}
