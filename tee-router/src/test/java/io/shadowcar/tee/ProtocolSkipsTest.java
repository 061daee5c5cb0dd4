package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the tee never copies for protocol reasons: tunnels, and gRPC calls whose request streams. */
class ProtocolSkipsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<TeeEvent> events = new ArrayList<>();
  private final TeeRouter router = new TeeRouter(TeeConfig.defaults().withSinks(Set.of("http"))
      .withRoutes(List.of(new RouteRule("all", "/**", Set.of(HttpMethod.GET, HttpMethod.POST), null, Set.of()))),
      events::add, registry);

  private static RequestHead grpc() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/grpc+proto");
    return new RequestHead("rid", HttpMethod.POST, "/pkg.Svc/Call", headers, HttpVersion.HTTP_2, "127.0.0.1");
  }

  private static Buffer message(String text) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
  }

  private double skipped(DropReason reason) {
    return registry.counter(TeeMetrics.SKIPPED, TeeMetrics.TAG_REASON, reason.tag()).count();
  }

  @Test
  void anUpgradeRequestIsSkipped() {
    RequestHead head = new RequestHead("rid", HttpMethod.GET, "/ws", MultiMap.caseInsensitiveMultiMap(),
        HttpVersion.HTTP_1_1, "127.0.0.1", "websocket");
    assertSame(ExchangeTap.NONE, router.open(head));
    assertEquals(1.0, skipped(DropReason.UPGRADE));
  }

  @Test
  void aGrpcCallWithOneRequestMessageIsCopiedEvenWhenItArrivesInPieces() {
    ExchangeTap tap = router.open(grpc());
    Buffer one = message("hello");
    tap.onRequestChunk(one.slice(0, 3));
    tap.onRequestChunk(one.slice(3, one.length()));
    tap.onRequestEnd();
    assertEquals(1, events.size());
    assertEquals(one, events.get(0).body());
    tap.onComplete(null);
    events.get(0).release();
  }

  @Test
  void aGrpcCallWhoseRequestStreamsIsSkippedAtItsSecondMessage() {
    ExchangeTap tap = router.open(grpc());
    tap.onRequestChunk(message("a"));
    assertEquals(0.0, skipped(DropReason.GRPC_STREAMING));
    tap.onRequestChunk(message("b").slice(0, 2)); // the second message has begun: the call streams
    assertEquals(1.0, skipped(DropReason.GRPC_STREAMING));
    tap.onRequestEnd();
    tap.onComplete(null);
    assertEquals(0, events.size());
    assertEquals(0, router.bufferedBytes());
  }

  @Test
  void aGrpcCallCutShortOrEmptyIsSkipped() {
    for (Buffer body : List.of(Buffer.buffer(), message("abc").slice(0, 6))) {
      ExchangeTap tap = router.open(grpc());
      if (body.length() > 0) {
        tap.onRequestChunk(body);
      }
      tap.onRequestEnd();
      tap.onComplete(null);
    }
    assertEquals(2.0, skipped(DropReason.GRPC_STREAMING));
    assertEquals(0, events.size());
  }
}
