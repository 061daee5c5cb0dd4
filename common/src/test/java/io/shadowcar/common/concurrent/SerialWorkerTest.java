package io.shadowcar.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialWorkerTest {

  private static final long WAIT_SECONDS = 10;

  private final List<SerialWorker> workers = new ArrayList<>();

  @AfterEach
  void closeWorkers() throws InterruptedException {
    for (SerialWorker worker : workers) {
      worker.close();
      assertTrue(worker.awaitClosed(TimeUnit.SECONDS.toNanos(WAIT_SECONDS)), "worker thread ended");
    }
  }

  private SerialWorker worker(String name) {
    SerialWorker worker = new SerialWorker(name);
    workers.add(worker);
    return worker;
  }

  @Test
  void runsTasksInTheOrderTheyCameOnItsNamedDaemonThread() throws InterruptedException {
    SerialWorker worker = worker("shadowcar-test-worker");
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1000);
    for (int i = 0; i < 1000; i++) {
      int n = i;
      assertTrue(worker.execute(() -> {
        order.add(n);
        threads.add(Thread.currentThread());
        done.countDown();
      }));
    }
    assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, order.get(i));
    }
    Thread thread = threads.get(0);
    assertEquals("shadowcar-test-worker", thread.getName());
    assertTrue(thread.isDaemon());
    assertTrue(threads.stream().allMatch(t -> t == thread), "every task ran on the one thread");
  }

  @Test
  void aTaskOfferedToASleepingWorkerWakesIt() throws InterruptedException {
    SerialWorker worker = worker("shadowcar-test-sleeper");
    worker.execute(() -> { });
    for (int round = 0; round < 20; round++) {
      awaitSleeping(worker);
      CountDownLatch ran = new CountDownLatch(1);
      worker.execute(ran::countDown);
      assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS), "round " + round + ": the sleeping worker was woken");
    }
  }

  @Test
  void everyTaskFromManyProducersRunsOnceWhetherTheWorkerNapsOrSleeps() throws InterruptedException {
    SerialWorker worker = worker("shadowcar-test-many");
    int producers = 4;
    int perProducer = 50_000;
    AtomicLong sum = new AtomicLong();
    AtomicInteger count = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(producers * perProducer);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread thread = new Thread(() -> {
        for (int i = 1; i <= perProducer; i++) {
          long value = i;
          worker.execute(() -> {
            sum.addAndGet(value);
            count.incrementAndGet();
            done.countDown();
          });
          // Now and then a pause long enough for the worker to nap or fall asleep, so wake-ups race with offers.
          if (i % (1_000 + producer * 97) == 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1 + (i / 1_000) % 4));
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "ran " + count.get() + " of " + producers * perProducer);
    assertEquals(producers * perProducer, count.get());
    assertEquals(producers * (long) perProducer * (perProducer + 1) / 2, sum.get());
  }

  @Test
  void aFailingTaskIsReportedAndLaterTasksStillRun() throws InterruptedException {
    SerialWorker worker = worker("shadowcar-test-failing");
    List<Throwable> reported = new CopyOnWriteArrayList<>();
    CountDownLatch handlerSet = new CountDownLatch(1);
    worker.execute(() -> {
      Thread.currentThread().setUncaughtExceptionHandler((thread, failure) -> reported.add(failure));
      handlerSet.countDown();
    });
    assertTrue(handlerSet.await(WAIT_SECONDS, TimeUnit.SECONDS));
    worker.execute(() -> {
      throw new IllegalStateException("boom");
    });
    worker.execute(() -> {
      throw new StackOverflowError("deep");
    });
    CountDownLatch later = new CountDownLatch(1);
    worker.execute(later::countDown);
    assertTrue(later.await(WAIT_SECONDS, TimeUnit.SECONDS), "the task after the failures ran");
    assertEquals(List.of("boom", "deep"), reported.stream().map(Throwable::getMessage).toList());
  }

  @Test
  void closeRunsWhatIsQueuedThenEndsTheThreadAndRefusesNewTasks() throws InterruptedException {
    SerialWorker worker = worker("shadowcar-test-closing");
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    worker.execute(() -> {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ran.incrementAndGet();
    });
    for (int i = 0; i < 100; i++) {
      worker.execute(ran::incrementAndGet);
    }
    worker.close();
    assertFalse(worker.execute(ran::incrementAndGet), "refused after close");
    assertFalse(worker.awaitClosed(TimeUnit.MILLISECONDS.toNanos(50)), "still running the gated task");
    gate.countDown();
    assertTrue(worker.awaitClosed(TimeUnit.SECONDS.toNanos(WAIT_SECONDS)));
    assertEquals(101, ran.get(), "every task queued before close ran, none after");
  }

  @Test
  void anIdleWorkerEndsAtClose() throws InterruptedException {
    SerialWorker worker = worker("shadowcar-test-idle");
    worker.execute(() -> { });
    awaitSleeping(worker);
    worker.close();
    assertTrue(worker.awaitClosed(TimeUnit.SECONDS.toNanos(WAIT_SECONDS)));
  }

  @Test
  void aTaskThatLeavesItsThreadInterruptedDoesNotKeepTheIdleWorkerSpinning() throws InterruptedException {
    SerialWorker worker = worker("shadowcar-test-interrupted");
    List<Thread> threads = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    worker.execute(() -> {
      threads.add(Thread.currentThread());
      Thread.currentThread().interrupt();
      ran.countDown();
    });
    assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
    Thread thread = threads.get(0);
    // Parked (WAITING) in three looks in a row, 10 ms apart: a worker spinning on its interrupt flag stays RUNNABLE.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    int parkedLooks = 0;
    while (parkedLooks < 3) {
      assertTrue(System.nanoTime() < deadline, "the idle worker parked; it was " + thread.getState());
      parkedLooks = thread.getState() == Thread.State.WAITING ? parkedLooks + 1 : 0;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    CountDownLatch later = new CountDownLatch(1);
    worker.execute(later::countDown);
    assertTrue(later.await(WAIT_SECONDS, TimeUnit.SECONDS), "woken again after the interrupt");
  }

  @Test
  void noThreadRunsBeforeTheFirstTaskAndAWorkerClosedBeforeThatEndsAtOnce() throws InterruptedException {
    SerialWorker worker = worker("shadowcar-test-unstarted");
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(thread -> thread.getName().equals("shadowcar-test-unstarted")));
    worker.close();
    assertTrue(worker.awaitClosed(0));
    assertFalse(worker.execute(() -> { }));
  }

  private static void awaitSleeping(SerialWorker worker) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!worker.sleeping()) {
      assertTrue(System.nanoTime() < deadline, "the idle worker went to sleep");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
