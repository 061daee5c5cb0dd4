package io.shadowcar.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One clock read per event: the stamp inside, the real clock outside, per thread. */
class EventClockTest {

  private static final long PAUSE_MS = 20; // System.nanoTime() moves by at least this much across the sleep
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(PAUSE_MS);

  private interface Work {
    void run() throws Exception;
  }

  private static void inEvent(Work work) throws Exception {
    EventClock.Event event = EventClock.enter();
    try {
      work.run();
    } finally {
      event.exit();
    }
  }

  @Test
  void insideAnEventEveryReadIsTheStampTakenAtItsStart() throws Exception {
    long before = System.nanoTime();
    inEvent(() -> {
      long stamp = EventClock.nanoTime();
      assertTrue(stamp - before >= 0, "the stamp is read when the event starts");
      Thread.sleep(PAUSE_MS);
      assertEquals(stamp, EventClock.nanoTime());
    });
  }

  @Test
  void outsideAnEventEachReadIsTheClock() throws Exception {
    AtomicLong inside = new AtomicLong();
    inEvent(() -> inside.set(EventClock.nanoTime()));
    Thread.sleep(PAUSE_MS);
    long outside = EventClock.nanoTime();
    assertTrue(outside - inside.get() >= PAUSE_NANOS, "read after the event ended");
    Thread.sleep(PAUSE_MS);
    assertTrue(EventClock.nanoTime() - outside >= PAUSE_NANOS, "each read outside");
  }

  @Test
  void aNestedEventKeepsTheOuterStampAndTheOuterGoesOnAfterIt() throws Exception {
    AtomicLong stamp = new AtomicLong();
    inEvent(() -> {
      stamp.set(EventClock.nanoTime());
      Thread.sleep(PAUSE_MS);
      inEvent(() -> assertEquals(stamp.get(), EventClock.nanoTime()));
      assertEquals(stamp.get(), EventClock.nanoTime(), "still inside the outer event");
    });
    Thread.sleep(PAUSE_MS);
    inEvent(() -> assertTrue(EventClock.nanoTime() - stamp.get() >= 2 * PAUSE_NANOS, "a new event, a new stamp"));
  }

  @Test
  void anEventOnOneThreadLeavesAnotherThreadOnTheClock() throws Exception {
    // an event loop's threads are Netty's FastThreadLocalThreads, as this executor's
    ExecutorService other = Executors.newSingleThreadExecutor(new DefaultThreadFactory("event-clock-test"));
    try {
      inEvent(() -> {
        long stamp = EventClock.nanoTime();
        Thread.sleep(PAUSE_MS);
        long there = CompletableFuture.supplyAsync(EventClock::nanoTime, other).get(10, TimeUnit.SECONDS);
        assertTrue(there - stamp >= PAUSE_NANOS, "the other thread read the clock");
      });
    } finally {
      other.shutdownNow();
    }
  }
}
