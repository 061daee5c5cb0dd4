package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.concurrent.BackgroundPriority;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SidecarVertxTest {

  /**
   * The HTTP sink's own loops run at a lower priority and hand Vert.x's internal blocking pool an {@code https://}
   * shadow's TLS set-up; the threads of that pool must not take the loops' priority, as they also do the proxy's work.
   */
  @Test
  void theInternalBlockingPoolKeepsTheProcesssPriorityWhenALoweredThreadHandsItWorkFirst() throws Exception {
    OptionalInt ours = BackgroundPriority.currentThreadNice();
    assertTrue(ours.isPresent(), "precondition: Linux with /proc mounted");
    assertTrue(ours.getAsInt() < 5, "precondition: the tests run below nice 5");
    Vertx vertx = SidecarVertx.create();
    BackgroundPriority.configure(5);
    try {
      ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
      CompletableFuture<List<Future<String>>> handedOver = new CompletableFuture<>();
      CountDownLatch hold = new CountDownLatch(1);
      Thread lowered = new Thread(BackgroundPriority.lowering(() -> {
        List<Future<String>> tasks = new ArrayList<>();
        // more tasks than the pool has threads, each held until all are handed over: every thread is busy at once
        for (int i = 0; i < 25; i++) {
          tasks.add(context.executeBlockingInternal(() -> {
            hold.await(10, TimeUnit.SECONDS);
            return Thread.currentThread().getName() + " " + BackgroundPriority.currentThreadNice();
          }));
        }
        handedOver.complete(tasks);
      }), "lowered-test-thread");
      lowered.start();
      List<Future<String>> tasks = handedOver.get(10, TimeUnit.SECONDS);
      hold.countDown();
      Map<String, String> niceByThread = new TreeMap<>();
      for (Future<String> task : tasks) {
        String[] threadAndNice = task.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).split(" ");
        niceByThread.put(threadAndNice[0], threadAndNice[1]);
      }
      assertTrue(niceByThread.size() > 1, "the tasks ran on several of the pool's threads: " + niceByThread);
      niceByThread.forEach((thread, nice) -> assertEquals(ours.toString(), nice, thread));
    } finally {
      BackgroundPriority.configure(0);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
