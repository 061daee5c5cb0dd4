package io.shadowcar.proxy.watchdog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.shadowcar.common.concurrent.NamedThreadFactory;
import io.shadowcar.testkit.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watchdog against real Netty single-thread executors (what an event loop is), one held by a task that blocks. */
class LoopWatchdogTest {

  /** A second without a heartbeat is blocked: far above anything these idle loops do otherwise. */
  private static final LoopWatchdog.Settings FAST = new LoopWatchdog.Settings(50, 1_000, 100, 60_000);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DefaultEventExecutorGroup loops =
      new DefaultEventExecutorGroup(2, NamedThreadFactory.numbered("watched"));
  private final LoopWatchdog watchdog = LoopWatchdog.start(FAST, registry);

  @AfterEach
  void stop() throws Exception {
    watchdog.close();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aBlockedLoopIsLoggedWithItsStackCountedAndItsEndLoggedWithTheTime() throws Exception {
    List<EventExecutor> both = List.of(loops.next(), loops.next());
    CountDownLatch release = new CountDownLatch(1);
    try (LogCapture log = LogCapture.of(LoopWatchdog.class, Level.WARN)) {
      watchdog.watch(loops);
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(LoopWatchdog.DELAY).timers().size() == 2);
      String held = threadOf(both.get(0));
      String free = threadOf(both.get(1));
      both.get(0).execute(() -> holdTheLoop(release));

      await().atMost(Duration.ofSeconds(10)).until(() -> !log.messages().isEmpty());
      String warning = log.messages().get(0);
      assertTrue(warning.startsWith("event loop " + held + " has run no task for "), warning);
      assertTrue(warning.contains("(threshold 1000 ms)"), warning);
      String stack = log.throwables().get(0);
      assertTrue(stack.contains("stack of " + held), stack);
      assertTrue(stack.contains("LoopWatchdogTest.holdTheLoop"), stack);
      assertEquals(1.0, blocked(held).count());
      assertEquals(0.0, blocked(free).count());

      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().size() == 2);
      Matcher ended = Pattern.compile("event loop " + Pattern.quote(held) + " ran again after (\\d+) ms blocked")
          .matcher(log.messages().get(1));
      assertTrue(ended.matches(), log.messages().get(1));
      // the loop's own gap between two heartbeats: at least the threshold the warning needed
      assertTrue(Long.parseLong(ended.group(1)) >= 1_000, ended.group(1));
      assertTrue(delay(held).max(TimeUnit.MILLISECONDS) >= 1_000 - FAST.heartbeatMs());
      assertTrue(delay(free).max(TimeUnit.MILLISECONDS) < 1_000);
      assertEquals(1.0, blocked(held).count());
    } finally {
      release.countDown();
    }
  }

  @Test
  void aBusyLoopThatKeepsRunningItsQueueIsNotBlocked() throws Exception {
    AtomicLong ran = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    EventExecutor loop = loops.next();
    try (LogCapture log = LogCapture.of(LoopWatchdog.class, Level.WARN)) {
      watchdog.watch(List.of(loop));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      // three seconds (three thresholds) of short tasks, each queueing the next: the loop never idles, and never stops
      // taking tasks
      loop.execute(new Runnable() {
        @Override
        public void run() {
          ran.incrementAndGet();
          if (System.nanoTime() < until) {
            loop.execute(this);
          } else {
            done.countDown();
          }
        }
      });
      assertTrue(done.await(20, TimeUnit.SECONDS));
      Thread.sleep(3 * FAST.checkMs()); // the checks that saw the end of the busy time
      assertTrue(ran.get() > 1_000, "tasks run: " + ran.get());
      assertEquals(List.of(), log.messages());
      assertEquals(0.0, blocked(threadOf(loop)).count());
      assertTrue(delay(threadOf(loop)).count() > 10);
    }
  }

  @Test
  void aLoopThatShutsDownIsDroppedRatherThanReportedBlocked() throws Exception {
    DefaultEventExecutorGroup stopping = new DefaultEventExecutorGroup(1, NamedThreadFactory.numbered("stopping"));
    try (LogCapture log = LogCapture.of(LoopWatchdog.class, Level.WARN)) {
      watchdog.watch(loops);
      watchdog.watch(stopping);
      assertEquals(3, watchdog.watched());
      stopping.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> watchdog.watched() == 2);
      // twice the threshold: a loop still watched would be reported by now
      Thread.sleep(2 * FAST.blockedMs());
      assertEquals(List.of(), log.messages());
      assertEquals(2, watchdog.watched());
    }
  }

  @Test
  void aClosedWatchdogWatchesNothing() {
    watchdog.close();
    watchdog.watch(loops);
    assertEquals(0, watchdog.watched());
  }

  @Test
  void settingsWhereTheThresholdIsNotAboveTheHeartbeatAreRefused() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> new LoopWatchdog.Settings(100, 100, 500, 10_000));
    assertTrue(refused.getMessage().contains("expected: all >= 1 and blockedMs > heartbeatMs"), refused.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LoopWatchdog.Settings(100, 2_000, 0, 10_000));
  }

  private static void holdTheLoop(CountDownLatch release) {
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String threadOf(EventExecutor loop) throws Exception {
    return loop.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
  }

  private Counter blocked(String loop) {
    return registry.get(LoopWatchdog.BLOCKED).tag("loop", loop).counter();
  }

  private Timer delay(String loop) {
    return registry.get(LoopWatchdog.DELAY).tag("loop", loop).timer();
  }
}
