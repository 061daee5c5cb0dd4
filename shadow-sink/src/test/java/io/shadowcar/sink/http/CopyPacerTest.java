package io.shadowcar.sink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CopyPacerTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong clock = new AtomicLong(-5 * SECOND); // nanoTime may be negative
  private final CopyPacer pacer = new CopyPacer(clock::get);

  @Test
  void aPoolUnderHalfBusyOrWithoutAKnownCallTimeIsNotPaced() {
    for (int i = 0; i < 1000; i++) {
      assertTrue(pacer.tryDepart(64, 64), "no call ended yet: nothing to pace by");
    }
    pacer.callEnded(SECOND);
    for (int i = 0; i < 1000; i++) {
      assertTrue(pacer.tryDepart(31, 64), "31 of 64 connections busy");
    }
    assertEquals(0, pacer.interval(31, 64));
    assertEquals(SECOND / 64, pacer.interval(32, 64));
  }

  @Test
  void aBusyPoolTakesOneCopyPerIntervalAfterASmallBurst() {
    pacer.callEnded(SECOND); // 64 connections to a 1 s shadow: one copy every 15.6 ms, a burst of 4 more
    long interval = SECOND / 64;
    int departed = 0;
    for (int i = 0; i < 100; i++) {
      departed += pacer.tryDepart(64, 64) ? 1 : 0;
    }
    assertEquals(5, departed, "the copy due now and a burst of 64 / 16");

    clock.addAndGet(interval - 1);
    assertFalse(pacer.tryDepart(64, 64), "just before the next turn");
    clock.addAndGet(1);
    assertTrue(pacer.tryDepart(64, 64), "at the next turn");
    assertFalse(pacer.tryDepart(64, 64));

    // over one second, copies leave at the pool's pace: 64 a second, however many callers ask
    departed = 0;
    for (int step = 0; step < 1000; step++) {
      clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
      for (int caller = 0; caller < 50; caller++) {
        departed += pacer.tryDepart(100, 64) ? 1 : 0;
      }
    }
    assertEquals(64, departed, 1);
  }

  @Test
  void anIdleSpellLeavesNoCreditBeyondTheBurst() {
    pacer.callEnded(SECOND);
    clock.addAndGet(60 * SECOND);
    int departed = 0;
    for (int i = 0; i < 100; i++) {
      departed += pacer.tryDepart(64, 64) ? 1 : 0;
    }
    assertEquals(5, departed, "a minute without copies is not 3,840 copies owed");
  }

  @Test
  void thePaceFollowsTheShadowsCallTime() {
    pacer.callEnded(SECOND);
    for (int i = 0; i < 200; i++) {
      pacer.callEnded(TimeUnit.MILLISECONDS.toNanos(10));
    }
    assertEquals(TimeUnit.MILLISECONDS.toNanos(10) / 64, pacer.interval(64, 64), 1_000,
        "the moving average came down to the new call time");
  }
}
