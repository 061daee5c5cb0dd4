package io.shadowcar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlowShadowConnectionsTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void beforeAnyCallEndedEveryConnectionIsUsed() {
    assertEquals(64, SlowShadowConnections.usable(64, 0));
  }

  @Test
  void aShadowAnsweringWithinAQuarterSecondUsesEveryConnection() {
    assertEquals(64, SlowShadowConnections.usable(64, 2 * MS));
    assertEquals(64, SlowShadowConnections.usable(64, 250 * MS), "exactly the budget: still all");
  }

  @Test
  void aSlowerShadowUsesFewerInProportionToItsHold() {
    assertEquals(32, SlowShadowConnections.usable(64, 500 * MS));
    assertEquals(16, SlowShadowConnections.usable(64, 1_000 * MS));
    assertEquals(63, SlowShadowConnections.usable(64, 251 * MS));
    assertEquals(32, SlowShadowConnections.usable(128, 1_000 * MS), "two instances' connections");
  }

  @Test
  void neverFewerThanEightOrThePoolWhenSmaller() {
    assertEquals(8, SlowShadowConnections.usable(64, 5_000 * MS));
    assertEquals(8, SlowShadowConnections.usable(64, 60_000 * MS));
    assertEquals(4, SlowShadowConnections.usable(4, 5_000 * MS), "a pool of four keeps its four");
    assertEquals(1, SlowShadowConnections.usable(1, 1_000 * MS));
  }
}
