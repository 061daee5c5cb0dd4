package io.shadowcar.proxy;

import static io.shadowcar.proxy.ProxyHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.proxy.tap.ExchangeTap;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.internal.VertxInternal;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetectionExtension.class)
class ProxyServerTest {

  private final ProxyHarness harness = new ProxyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void servesConnectionsOnEveryEventLoop() {
    RecordingBackend backend = RecordingBackend.start(harness.vertx, RecordingBackend.Responder.ok());
    Set<String> threads = ConcurrentHashMap.newKeySet();
    TrafficTap recordThread = head -> {
      threads.add(Thread.currentThread().getName());
      return ExchangeTap.NONE;
    };
    harness.start(ProxyHarness.config(), TargetSource.parse(backend.uri().toString()), recordThread);
    for (int i = 0; i < 8; i++) {
      assertTrue(harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
    }
    assertEquals(2, threads.size(), "connections were not spread over both event loops: " + threads);
  }

  @Test
  void everyServerHasAnEventLoopOfItsOwnWhileOtherContextsAreCreatedDuringTheStart() throws Exception {
    // Vert.x hands out event loops in turn to every context; a thread creating contexts meanwhile (as other modules do
    // at start-up) makes the two servers' turns land on the same loop about one start in four without the claims.
    RecordingBackend backend = RecordingBackend.start(harness.vertx, RecordingBackend.Responder.ok());
    for (int start = 0; start < 6; start++) {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      TrafficTap recordThread = head -> {
        threads.add(Thread.currentThread().getName());
        return ExchangeTap.NONE;
      };
      AtomicBoolean starting = new AtomicBoolean(true);
      Thread contexts = new Thread(() -> {
        while (starting.get()) {
          ((VertxInternal) harness.vertx).createEventLoopContext();
        }
      }, "creates-contexts");
      contexts.start();
      try {
        harness.proxy = await(ProxyServer.start(harness.vertx, ProxyHarness.config(),
            TargetSource.parse(backend.uri().toString()), recordThread, new SimpleMeterRegistry()));
      } finally {
        starting.set(false);
        contexts.join();
      }
      for (int i = 0; i < 8; i++) {
        assertTrue(harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
      }
      assertEquals(2, threads.size(), "start " + start + ": the servers shared an event loop: " + threads);
      await(harness.proxy.shutdown());
    }
  }

  @Test
  void failsToStartWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      ProxyConfig config = ProxyHarness.config().withListen("127.0.0.1", taken.getLocalPort());
      io.vertx.core.Future<ProxyServer> start = ProxyServer.start(harness.vertx, config, TargetSource.parse(),
          TrafficTap.NONE, new SimpleMeterRegistry());
      Throwable failure = await(start.transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
      assertTrue(failure != null, "started on a port that is in use");
      assertTrue(harness.vertx.deploymentIDs().isEmpty(), "a failed start left verticles deployed");
    }
  }

  @Test
  void shutdownIsIdempotent() {
    harness.start(List.of());
    assertSame(harness.proxy.shutdown(), harness.proxy.shutdown());
    await(harness.proxy.shutdown());
  }
}
