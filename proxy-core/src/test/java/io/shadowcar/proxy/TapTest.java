package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.RequestHead;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.RefusingPort;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetectionExtension.class)
class TapTest {

  private final ProxyHarness harness = new ProxyHarness();
  private final RefusingPort nowhere = RefusingPort.open();

  @AfterEach
  void close() {
    harness.close();
    nowhere.close();
  }

  /** Keeps copies of everything it is shown; checks it is called on an event loop and in order. */
  static class RecordingTap implements ExchangeTap {
    volatile RequestHead head;
    final Buffer request = Buffer.buffer();
    final Buffer response = Buffer.buffer();
    volatile boolean requestEnded;
    volatile int status;
    final AtomicInteger completions = new AtomicInteger();
    volatile Throwable failure;
    volatile boolean offLoop;
    volatile boolean afterComplete;

    private void check() {
      offLoop |= !Context.isOnEventLoopThread();
      afterComplete |= completions.get() > 0;
    }

    @Override
    public synchronized void onRequestChunk(Buffer chunk) {
      check();
      request.appendBuffer(chunk);
    }

    @Override
    public void onRequestEnd() {
      check();
      requestEnded = true;
    }

    @Override
    public void onResponseHead(int statusCode, MultiMap headers) {
      check();
      status = statusCode;
    }

    @Override
    public synchronized void onResponseChunk(Buffer chunk) {
      check();
      response.appendBuffer(chunk);
    }

    @Override
    public void onComplete(Throwable cause) {
      check();
      failure = cause;
      completions.incrementAndGet();
    }
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  @Test
  void tapSeesTheBytesThePrimaryAndTheCallerSawAndCompletesOnce() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, (req, resp) -> {
      Buffer answer = Buffer.buffer("answer:").appendBuffer(req.body());
      resp.setChunked(true);
      resp.write(answer.getBuffer(0, 10));
      resp.end(answer.getBuffer(10, answer.length()));
    });
    RecordingTap tap = new RecordingTap();
    harness.start(ProxyHarness.config(), TargetSource.parse(backend.uri().toString()), head -> {
      tap.head = head;
      return tap;
    });
    byte[] body = randomBytes(300_000);
    Buffer received = await(harness.client.request(HttpMethod.POST, "/t?q=%20").compose(req -> {
      req.setChunked(true);
      for (int at = 0; at < body.length; at += 50_000) {
        req.write(Buffer.buffer().appendBytes(body, at, 50_000));
      }
      return req.end().compose(v -> req.response()).compose(r -> r.body());
    }));
    await().atMost(Duration.ofSeconds(10)).until(() -> tap.completions.get() == 1);
    assertArrayEquals(backend.single().body().getBytes(), tap.request.getBytes());
    assertArrayEquals(body, tap.request.getBytes());
    assertArrayEquals(received.getBytes(), tap.response.getBytes());
    assertTrue(tap.requestEnded);
    assertEquals(200, tap.status);
    assertNull(tap.failure);
    assertEquals("/t?q=%20", tap.head.uri());
    assertEquals(backend.single().headers().get("X-Request-Id"), tap.head.requestId());
    assertTrue(!tap.offLoop, "a tap callback ran off the event loop");
    assertTrue(!tap.afterComplete, "a tap callback came after onComplete");
  }

  /**
   * The head the tap was shown stays as it was: the copy is built from it once the body ended, so the request's own
   * framing to the primary (chunking, a generated {@code Host}) must not leak into it.
   */
  @Test
  void theHeadTheTapSawIsNotChangedByForwardingTheRequest() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, (req, resp) -> resp.end("ok"));
    RecordingTap tap = new RecordingTap();
    List<List<String>> seenAtOpen = new java.util.concurrent.CopyOnWriteArrayList<>();
    harness.start(ProxyHarness.config(), TargetSource.parse(backend.uri().toString()), head -> {
      seenAtOpen.add(fields(head.headers()));
      tap.head = head;
      return tap;
    });
    await(harness.client.request(HttpMethod.POST, "/chunked").compose(req -> {
      req.setChunked(true);
      req.write("part one, ");
      return req.end("part two").compose(v -> req.response()).compose(resp -> resp.body());
    }));
    await().atMost(Duration.ofSeconds(10)).until(() -> tap.completions.get() == 1);
    assertEquals("chunked", backend.single().headers().get("Transfer-Encoding"), "precondition: sent chunked");
    assertEquals(seenAtOpen.get(0), fields(tap.head.headers()));

    harness.raw("GET /no-host HTTP/1.0\r\n\r\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> tap.completions.get() == 2);
    assertEquals(seenAtOpen.get(1), fields(tap.head.headers()));
  }

  private static List<String> fields(MultiMap headers) {
    return headers.entries().stream().map(field -> field.getKey() + ": " + field.getValue()).toList();
  }

  @Test
  void tapCompletesOnceWithTheFailureWhenThePrimaryIsDown() throws Exception {
    RecordingTap tap = new RecordingTap();
    harness.start(ProxyHarness.config(), TargetSource.parse(nowhere.httpUri().toString()), head -> tap);
    String answer = harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 502"));
    await().atMost(Duration.ofSeconds(10)).until(() -> tap.completions.get() == 1);
    assertEquals(502, tap.status);
    assertEquals("primary unreachable\n", tap.response.toString());
    ProxyException failure = assertInstanceOf(ProxyException.class, tap.failure);
    assertEquals(ProxyError.REFUSED, failure.error());
    assertTrue(!tap.afterComplete);
  }

  @Test
  void throwingTapIsDetachedCountedAndCompletedWhileTheExchangeGoesOn() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, RecordingBackend.Responder.echo());
    RecordingTap tap = new RecordingTap() {
      @Override
      public synchronized void onRequestChunk(Buffer chunk) {
        throw new IllegalStateException("tap bug");
      }
    };
    harness.start(ProxyHarness.config(), TargetSource.parse(backend.uri().toString()), head -> tap);
    String answer = harness.raw("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("hello"), answer);
    await().atMost(Duration.ofSeconds(10)).until(() -> tap.completions.get() == 1);
    assertEquals("tap bug", tap.failure.getMessage());
    assertEquals(0, tap.status, "a detached tap sees nothing more");
    assertEquals(1, harness.registry.get(ProxyMetrics.TAP_ERRORS).counter().count());
  }

  @Test
  void tapThatFailsToOpenLeavesTheExchangeAlone() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, RecordingBackend.Responder.ok());
    TrafficTap broken = head -> {
      throw new IllegalStateException("open failed");
    };
    harness.start(ProxyHarness.config(), TargetSource.parse(backend.uri().toString()), broken);
    assertTrue(harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
    assertEquals(1, harness.registry.get(ProxyMetrics.TAP_ERRORS).counter().count());
  }
}
