package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.target.TargetUrl;
import io.shadowcar.proxy.tap.TrafficTap;
import io.shadowcar.proxy.upstream.BreakerConfig;
import io.shadowcar.proxy.upstream.TargetSource;
import io.shadowcar.testkit.LeakDetectionExtension;
import io.shadowcar.testkit.RefusingPort;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.backend.RecordingBackend.Responder;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetectionExtension.class)
class BalancingTest {

  private final ProxyHarness harness = new ProxyHarness();
  private final RefusingPort nowhere = RefusingPort.open();

  @AfterEach
  void close() {
    harness.close();
    nowhere.close();
  }

  private String get() {
    return harness.raw("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  }

  @Test
  void roundRobinSpreadsRequestsEvenly() {
    RecordingBackend a = RecordingBackend.start(harness.vertx, Responder.ok());
    RecordingBackend b = RecordingBackend.start(harness.vertx, Responder.ok());
    RecordingBackend c = RecordingBackend.start(harness.vertx, Responder.ok());
    harness.start(List.of(a.uri(), b.uri(), c.uri()));
    for (int i = 0; i < 30; i++) {
      assertTrue(get().startsWith("HTTP/1.1 200"));
    }
    List<Integer> counts = List.of(a.requests().size(), b.requests().size(), c.requests().size());
    assertEquals(30, counts.stream().mapToInt(Integer::intValue).sum());
    // Each event loop rotates through the targets on its own: per loop the counts differ by at most one, so in all
    // by at most the number of loops, whichever loops the connections landed on.
    int loops = ProxyHarness.config().eventLoops();
    assertTrue(Collections.max(counts) - Collections.min(counts) <= loops, counts + " over " + loops + " loops");
  }

  @Test
  void openBreakerTakesAFailingTargetOutOfRotation() throws Exception {
    RecordingBackend healthy = RecordingBackend.start(harness.vertx, Responder.ok());
    BreakerConfig breaker = new BreakerConfig(50f, 4, 4, 60_000, 1);
    harness.start(ProxyHarness.config(10_000, 1_000, breaker),
        TargetSource.parse(nowhere.httpUri().toString(), healthy.uri().toString()), TrafficTap.NONE);
    int ok = 0;
    for (int i = 0; i < 20; i++) {
      String answer = get();
      if (answer.startsWith("HTTP/1.1 200")) {
        ok++;
      } else {
        assertTrue(answer.startsWith("HTTP/1.1 502"), answer);
        assertTrue(i < 8, "the dead target was still used after its breaker opened, request " + i);
      }
    }
    assertEquals(4, harness.errors(ProxyError.REFUSED), "exactly minimumCalls failures open the breaker");
    assertEquals(16, ok);
    assertEquals(16, healthy.requests().size());
  }

  @Test
  void allBreakersOpenGives503CircuitOpen() throws Exception {
    BreakerConfig breaker = new BreakerConfig(50f, 2, 2, 60_000, 1);
    harness.start(ProxyHarness.config(10_000, 1_000, breaker),
        TargetSource.parse(nowhere.httpUri().toString()), TrafficTap.NONE);
    assertTrue(get().startsWith("HTTP/1.1 502"));
    assertTrue(get().startsWith("HTTP/1.1 502"));
    String answer = get();
    assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
    assertTrue(answer.endsWith("(circuit open)\n"), answer);
    assertEquals(1, harness.errors(ProxyError.CIRCUIT_OPEN));
    assertEquals(2, harness.errors(ProxyError.REFUSED));
  }

  @Test
  void followsTheTargetSourceWhenItsListChanges() {
    RecordingBackend first = RecordingBackend.start(harness.vertx, Responder.ok());
    RecordingBackend second = RecordingBackend.start(harness.vertx, Responder.ok());
    AtomicReference<List<TargetUrl>> current = new AtomicReference<>(List.of(TargetUrl.of(first.uri())));
    harness.start(ProxyHarness.config(), current::get, TrafficTap.NONE);
    get();
    current.set(List.of(TargetUrl.of(second.uri())));
    get();
    get();
    assertEquals(1, first.requests().size());
    assertEquals(2, second.requests().size());
  }

  @Test
  void aTargetComesBackAfterTheOpenPeriodOnceItAnswersAgain() {
    java.util.concurrent.atomic.AtomicBoolean overloaded = new java.util.concurrent.atomic.AtomicBoolean(true);
    RecordingBackend flaky = RecordingBackend.start(harness.vertx,
        (req, resp) -> resp.setStatusCode(overloaded.get() ? 503 : 200).end());
    // an open period far longer than the checks right after opening take, however slow the machine
    BreakerConfig breaker = new BreakerConfig(50f, 2, 2, 2_000, 1);
    harness.start(ProxyHarness.config(10_000, 1_000, breaker), TargetSource.parse(flaky.uri().toString()),
        TrafficTap.NONE);
    assertTrue(get().startsWith("HTTP/1.1 503 Service Unavailable"));
    assertTrue(get().startsWith("HTTP/1.1 503"));
    String refused = get();
    assertTrue(refused.endsWith("(circuit open)\n"), "a 503 from the primary counts as a failure: " + refused);
    assertEquals(2, flaky.requests().size(), "an open breaker must not call the target");
    overloaded.set(false);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> get().startsWith("HTTP/1.1 200"));
    assertTrue(get().startsWith("HTTP/1.1 200"), "closed again after a successful probe");
  }
}
