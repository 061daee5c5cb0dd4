package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The stop-once and exit logic; installing the handlers is checked through the jar (SidecarProcessIT). */
class SignalExitTest {

  @Test
  void stopsOnceAndEveryCallerGetsTheStopsAnswer() {
    AtomicInteger stops = new AtomicInteger();
    SignalExit exit = new SignalExit(() -> stops.incrementAndGet() < 0, code -> {});
    assertFalse(exit.stopOnce());
    assertFalse(exit.stopOnce());
    assertEquals(1, stops.get());
  }

  @Test
  void aCallerDuringTheStopWaitsForItsEnd() throws Exception {
    CountDownLatch inStop = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SignalExit exit = new SignalExit(() -> {
      inStop.countDown();
      await(release);
      return true;
    }, code -> {});
    CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(exit::stopOnce);
    assertTrue(inStop.await(20, TimeUnit.SECONDS));
    CompletableFuture<Boolean> second = new CompletableFuture<>();
    Thread hook = new Thread(() -> second.complete(exit.stopOnce()));
    hook.start();
    // parked on the first stop's answer, not returned nor stopping a second time
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> hook.getState() == Thread.State.WAITING);
    assertFalse(second.isDone());
    release.countDown();
    assertTrue(first.get(20, TimeUnit.SECONDS));
    assertTrue(second.get(20, TimeUnit.SECONDS));
  }

  @Test
  void aStopThatThrowsCountsAsUnclean() {
    SignalExit exit = new SignalExit(() -> {
      throw new IllegalStateException("stuck");
    }, code -> {});
    assertThrows(IllegalStateException.class, exit::stopOnce);
    assertFalse(exit.stopOnce(), "a later caller gets 'not clean', not a hang");
  }

  @Test
  void aSignalStopsThenExitsWithTheStopsStatusAndARepeatedSignalChangesNothing() throws Exception {
    List<Integer> codes = new CopyOnWriteArrayList<>();
    CountDownLatch exited = new CountDownLatch(1);
    AtomicInteger stops = new AtomicInteger();
    SignalExit clean = new SignalExit(() -> stops.incrementAndGet() > 0, code -> {
      codes.add(code);
      exited.countDown();
    });
    clean.onSignal();
    clean.onSignal();
    assertTrue(exited.await(20, TimeUnit.SECONDS));
    clean.onSignal();
    assertEquals(List.of(Main.OK), codes);
    assertEquals(1, stops.get());

    CompletableFuture<Integer> uncleanCode = new CompletableFuture<>();
    new SignalExit(() -> false, uncleanCode::complete).onSignal();
    assertEquals(Main.INVALID, uncleanCode.get(20, TimeUnit.SECONDS));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
