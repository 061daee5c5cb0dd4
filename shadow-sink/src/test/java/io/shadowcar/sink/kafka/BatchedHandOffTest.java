package io.shadowcar.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchedHandOffTest {

  private static final long WAIT_SECONDS = 10;

  /** The sink's kind of worker, counting what is submitted to it. */
  private static final class CountingWorker extends ScheduledThreadPoolExecutor {
    final AtomicInteger submitted = new AtomicInteger();
    final AtomicReference<Thread> thread = new AtomicReference<>();

    CountingWorker() {
      super(1);
      setThreadFactory(r -> {
        Thread t = new Thread(r, "shadowcar-test-handoff");
        t.setDaemon(true);
        thread.set(t);
        return t;
      });
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      ScheduledFuture<?> future = super.schedule(command, delay, unit);
      submitted.incrementAndGet();
      return future;
    }
  }

  private final CountingWorker worker = new CountingWorker();
  private final Set<Integer> ran = ConcurrentHashMap.newKeySet();
  private final Set<Integer> refused = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ranTwice = new AtomicInteger();
  private final AtomicInteger offWorkerThread = new AtomicInteger();

  @AfterEach
  void stopWorker() throws InterruptedException {
    worker.shutdownNow();
    assertTrue(worker.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  private BatchedHandOff<Integer> handOff(long lingerNanos) {
    return new BatchedHandOff<>(worker, lingerNanos, item -> {
      if (Thread.currentThread() != worker.thread.get()) {
        offWorkerThread.incrementAndGet();
      }
      if (!ran.add(item)) {
        ranTwice.incrementAndGet();
      }
    }, item -> {
      if (!refused.add(item)) {
        ranTwice.incrementAndGet();
      }
    });
  }

  private void awaitEnded(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (ran.size() + refused.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(count, ran.size() + refused.size(), "every item ran or was refused");
  }

  @Test
  void runsEveryItemOnceOnTheWorkersThreadWhateverThreadOfferedIt() throws InterruptedException {
    BatchedHandOff<Integer> handOff = handOff(TimeUnit.MILLISECONDS.toNanos(1));
    int producers = 4;
    int perProducer = 20_000;
    for (Thread t : offerFrom(producers, perProducer, handOff)) {
      t.join();
    }
    awaitEnded(producers * perProducer);
    assertEquals(producers * perProducer, ran.size());
    assertEquals(0, refused.size());
    assertEquals(0, ranTwice.get());
    assertEquals(0, offWorkerThread.get());
  }

  @Test
  void aBurstWithinTheLingerIsOneBatchNotOneWakeUpPerItem() throws InterruptedException {
    BatchedHandOff<Integer> handOff = handOff(TimeUnit.SECONDS.toNanos(2));
    handOff.offer(0);
    awaitEnded(1);
    // The drain that ran item 0 keeps its turn for the linger: the burst only queues, and no producer submits a drain.
    int submittedBefore = worker.submitted.get();
    for (int i = 1; i <= 1_000; i++) {
      handOff.offer(i);
    }
    assertEquals(submittedBefore, worker.submitted.get(), "offers inside the linger submit nothing");
    awaitEnded(1_001);
    assertEquals(0, ranTwice.get());
    // one drain for item 0, one after its linger for the burst, and one more that found nothing and let go
    assertTrue(worker.submitted.get() <= 4, "drains submitted: " + worker.submitted.get());
  }

  @Test
  void withoutALingerEveryDrainLetsGoAtOnce() throws InterruptedException {
    BatchedHandOff<Integer> handOff = handOff(0);
    for (int i = 0; i < 1_000; i++) {
      handOff.offer(i);
    }
    awaitEnded(1_000);
    assertEquals(1_000, ran.size());
    // nothing is left pending: a later item is taken by a drain of its own
    handOff.offer(1_000);
    awaitEnded(1_001);
    assertEquals(1_001, ran.size());
  }

  @Test
  void refusesWhatTheWorkerWillNeverRunExactlyOnceEvenWhenItShutsDownAmidOffers() throws InterruptedException {
    BatchedHandOff<Integer> handOff = handOff(TimeUnit.MILLISECONDS.toNanos(1));
    int producers = 3;
    int perProducer = 50_000;
    Thread[] threads = offerFrom(producers, perProducer, handOff);
    while (ran.isEmpty()) {
      Thread.onSpinWait();
    }
    worker.shutdown(); // as the sink's close does: a drain already due still runs, nothing new is taken
    for (Thread t : threads) {
      t.join();
    }
    awaitEnded(producers * perProducer);
    assertEquals(0, ranTwice.get(), "no item ran twice or was refused twice");
    assertTrue(ran.stream().noneMatch(refused::contains), "no item both ran and was refused");
    // once the worker is gone, an offer is refused at once, on the offering thread
    assertTrue(worker.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
    handOff.offer(-1);
    assertTrue(refused.contains(-1));
    assertEquals(producers * perProducer + 1, ran.size() + refused.size());
  }

  /** Starts {@code producers} threads that offer {@code perProducer} distinct items each, all at once. */
  private static Thread[] offerFrom(int producers, int perProducer, BatchedHandOff<Integer> handOff) {
    CountDownLatch go = new CountDownLatch(1);
    Thread[] threads = new Thread[producers];
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      threads[p] = new Thread(() -> {
        awaitQuietly(go);
        for (int i = 0; i < perProducer; i++) {
          handOff.offer(base + i);
        }
      });
      threads[p].start();
    }
    go.countDown();
    return threads;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
