package io.shadowcar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WaitingCopiesTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private static WaitingCopies afterCalls(long nanos, int calls) {
    WaitingCopies waiting = new WaitingCopies();
    for (int i = 0; i < calls; i++) {
      waiting.held(nanos);
    }
    return waiting;
  }

  @Test
  void beforeAnyCallEndedEveryConnectionHasItsWaitingCopy() {
    WaitingCopies waiting = new WaitingCopies();
    assertEquals(64, waiting.allowed(64));
    assertEquals(0, waiting.holdNanos());
  }

  @Test
  void aFastShadowKeepsOneWaitingCopyPerConnection() {
    assertEquals(64, afterCalls(2 * MS, 100).allowed(64));
    assertEquals(64, afterCalls(100 * MS, 100).allowed(64), "exactly the expected wait: still all");
  }

  @Test
  void aSlowShadowLetsAsManyWaitAsItsConnectionsServeInATenthOfASecond() {
    assertEquals(6, afterCalls(1_000 * MS, 1).allowed(64), "64 connections held a second each serve 6.4 in 0.1 s");
    assertEquals(32, afterCalls(200 * MS, 1).allowed(64));
    assertEquals(0, afterCalls(5_000 * MS, 1).allowed(4), "none when the connections serve not one in time");
  }

  @Test
  void theAverageFollowsAShadowThatRecoversOrSlowsWithinAFewDozenCalls() {
    WaitingCopies waiting = afterCalls(1_000 * MS, 1);
    for (int i = 0; i < 40; i++) {
      waiting.held(MS);
    }
    assertEquals(64, waiting.allowed(64), "after 40 fast calls: " + waiting.holdNanos() + " ns");

    for (int i = 0; i < 20; i++) {
      waiting.held(1_000 * MS);
    }
    assertEquals(6, waiting.allowed(64), "after 20 slow calls: " + waiting.holdNanos() + " ns");
  }

  @Test
  void oneOutlierMovesTheAverageByAnEighth() {
    WaitingCopies waiting = afterCalls(80 * MS, 1);
    waiting.held(880 * MS);
    assertEquals(180 * MS, waiting.holdNanos());
    assertEquals(35, waiting.allowed(64));
  }
}
