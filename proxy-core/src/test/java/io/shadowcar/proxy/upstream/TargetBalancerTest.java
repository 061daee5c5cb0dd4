package io.shadowcar.proxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.shadowcar.common.target.TargetProtocol;
import io.shadowcar.common.target.TargetUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TargetBalancerTest {

  private static final TargetUrl A = TargetUrl.parse("http://127.0.0.1:8001");
  private static final TargetUrl B = TargetUrl.parse("https://127.0.0.1:8002/base/");

  private final AtomicReference<List<TargetUrl>> listed = new AtomicReference<>(List.of(A, B));
  private final TargetBalancer balancer = new TargetBalancer(listed::get, new BreakerConfig(50f, 2, 2, 60_000, 1));
  private final TargetBalancer.Cursor loop = new TargetBalancer.Cursor(0);

  private static void fail(Target t) {
    t.breaker().onError(1, TimeUnit.MILLISECONDS, new RuntimeException("down"));
  }

  @Test
  void resolvesAddressAndPathPrefixOnce() {
    Target[] targets = balancer.targets();
    assertEquals(8002, targets[1].address().port());
    assertEquals("/base", targets[1].pathPrefix());
    assertEquals("", targets[0].pathPrefix());
    assertSame(targets, balancer.targets(), "an unchanged list is not re-resolved");
  }

  @Test
  void eachLoopCyclesThroughEveryTargetFromItsOwnPlace() {
    TargetBalancer.Cursor other = new TargetBalancer.Cursor(1);
    List<TargetUrl> first = new ArrayList<>();
    List<TargetUrl> second = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(picked(loop));
      second.add(picked(other));
    }
    assertEquals(List.of(A, B, A, B), first);
    assertEquals(List.of(B, A, B, A), second, "one loop's picks do not move another's place");
    assertEquals(List.of(B, A), List.of(picked(new TargetBalancer.Cursor(-1)), picked(new TargetBalancer.Cursor(-2))),
        "any start, negative too, is a place in the rotation");
  }

  private TargetUrl picked(TargetBalancer.Cursor cursor) {
    Target t = balancer.pick(cursor);
    t.breaker().releasePermission();
    return t.url();
  }

  @Test
  void skipsTargetsWhoseBreakerIsOpenAndReportsWhenAllAre() {
    Target a = balancer.targets()[0];
    fail(a);
    fail(a);
    assertEquals(CircuitBreaker.State.OPEN, a.breaker().getState());
    for (int i = 0; i < 4; i++) {
      Target picked = balancer.pick(loop);
      assertEquals(B, picked.url());
      picked.breaker().releasePermission();
    }
    Target b = balancer.targets()[1];
    fail(b);
    fail(b);
    assertNull(balancer.pick(loop));
    assertTrue(balancer.allOpen());
  }

  @Test
  void dropsTheBreakersOfTargetsThatLeft() {
    Target a = balancer.targets()[0];
    fail(a);
    fail(a);
    listed.set(List.of(B));
    assertEquals(1, balancer.targets().length);
    listed.set(List.of(A, B));
    Target again = balancer.targets()[0];
    assertNotSame(a.breaker(), again.breaker());
    assertEquals(CircuitBreaker.State.CLOSED, again.breaker().getState());
  }

  @Test
  void keepsTheBreakersOfTargetsThatStay() {
    Target b = balancer.targets()[1];
    listed.set(List.of(B, TargetUrl.parse("h2c://127.0.0.1:8003")));
    assertSame(b.breaker(), balancer.targets()[0].breaker());
  }

  @Test
  void keepsEachTargetsProtocol() {
    Target[] targets = balancer.targets();
    assertEquals(TargetProtocol.HTTP, targets[0].protocol());
    assertEquals(TargetProtocol.HTTPS, targets[1].protocol());
    assertEquals("127.0.0.1", targets[1].address().host());
  }

  @Test
  void answersNoneWhenEmpty() {
    listed.set(List.of());
    assertEquals(0, balancer.targets().length);
    assertNull(balancer.pick(loop));
    assertTrue(!balancer.allOpen());
  }

  @Test
  void rejectsInvalidBreakerSettings() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BreakerConfig(0f, 2, 2, 1, 1));
    assertEquals("failureRatePercent: 0.0 (expected: > 0 and <= 100)", e.getMessage());
  }
}
