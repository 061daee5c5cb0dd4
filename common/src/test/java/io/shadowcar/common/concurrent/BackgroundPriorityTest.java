package io.shadowcar.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real threads, the real kernel and the real {@code renice}: the priority is read back from {@code /proc}. */
class BackgroundPriorityTest {

  @BeforeEach
  void preconditions() {
    assertTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")),
        "precondition: Linux with /proc mounted (/proc/thread-self); run the tests on Linux");
    assertTrue(BackgroundPriority.currentThreadNice().isPresent(), "precondition: /proc/thread-self/stat readable");
    assertTrue(BackgroundPriority.currentThreadNice().getAsInt() < 7,
        "precondition: the tests run below nice 7 (run them without nice, or with a smaller one)");
    assertTrue(onPath("renice"), "precondition: renice on the PATH (Debian/Ubuntu: apt-get install bsdutils)");
  }

  @AfterEach
  void off() {
    BackgroundPriority.configure(0);
  }

  @Test
  void backgroundThreadsTakeTheConfiguredNiceAndOthersKeepTheirs() throws Exception {
    OptionalInt own = BackgroundPriority.currentThreadNice();
    BackgroundPriority.configure(7);
    assertEquals(OptionalInt.of(7), niceOf(NamedThreadFactory.single("test-background").background()));
    assertEquals(own, niceOf(NamedThreadFactory.single("test-foreground")),
        "a thread not asked to lower its priority keeps its creator's");
    assertEquals(own, BackgroundPriority.currentThreadNice(), "only the new thread changed");
  }

  @Test
  void aSerialWorkerOfBackgroundThreadsRunsItsTasksAtTheConfiguredNice() throws Exception {
    BackgroundPriority.configure(BackgroundPriority.MAX_NICE);
    SerialWorker worker = new SerialWorker(NamedThreadFactory.single("test-worker").background());
    CompletableFuture<OptionalInt> seen = new CompletableFuture<>();
    worker.execute(() -> seen.complete(BackgroundPriority.currentThreadNice()));
    assertEquals(OptionalInt.of(BackgroundPriority.MAX_NICE), seen.get(10, TimeUnit.SECONDS));
    worker.close();
    assertTrue(worker.awaitClosed(TimeUnit.SECONDS.toNanos(10)));
  }

  @Test
  void aThreadAlreadyAtALowerPriorityKeepsIt() throws Exception {
    BackgroundPriority.configure(12);
    CompletableFuture<OptionalInt> seen = new CompletableFuture<>();
    Thread thread = NamedThreadFactory.single("test-lower").background().newThread(() -> {
      BackgroundPriority.configure(7);
      boolean atOrBelow = BackgroundPriority.lowerCurrentThread();
      seen.complete(atOrBelow ? BackgroundPriority.currentThreadNice() : OptionalInt.empty());
    });
    thread.start();
    assertEquals(OptionalInt.of(12), seen.get(10, TimeUnit.SECONDS), "not raised back to 7");
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }

  @Test
  void offLeavesBackgroundThreadsAsTheyAre() throws Exception {
    BackgroundPriority.configure(0);
    assertEquals(BackgroundPriority.currentThreadNice(), niceOf(NamedThreadFactory.single("test-off").background()));
  }

  @Test
  void refusesNiceValuesTheKernelDoesNotHaveOrThatWouldRaiseThePriority() {
    assertThrows(IllegalArgumentException.class, () -> BackgroundPriority.configure(20));
    assertThrows(IllegalArgumentException.class, () -> BackgroundPriority.configure(-1));
  }

  private static OptionalInt niceOf(NamedThreadFactory threads) throws Exception {
    CompletableFuture<OptionalInt> seen = new CompletableFuture<>();
    Thread thread = threads.newThread(() -> seen.complete(BackgroundPriority.currentThreadNice()));
    thread.start();
    OptionalInt nice = seen.get(10, TimeUnit.SECONDS);
    thread.join(TimeUnit.SECONDS.toMillis(10));
    return nice;
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
