package io.shadowcar.health.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedProcessRunnerTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final BoundedProcessRunner runner = new BoundedProcessRunner(timer, CapturedOutput.DEFAULT_CAPACITY);

  @AfterEach
  void stop() {
    runner.close();
    timer.shutdownNow();
  }

  @Test
  void runsInItsOwnProcessGroup() throws Exception {
    Path pgid = dir.resolve("pgid");
    ProcessOutcome outcome = runner.run(
        List.of("/bin/sh", "-c", "cut -d' ' -f5 /proc/$$/stat > " + pgid + "; echo $$"), LONG);
    long pid = Long.parseLong(outcome.output().trim());
    if (runner.isolatesProcessGroups()) {
      assertEquals(pid, readPid(pgid));
      assertNotEquals(ProcessKiller.processGroupOf(ProcessHandle.current().pid()), readPid(pgid));
    }
  }

  @Test
  void closingStopsARunningProcessAndLaterRunsStartNothing() throws Exception {
    Path pids = dir.resolve("pids");
    CompletableFuture<ProcessOutcome> pending = CompletableFuture.supplyAsync(
        () -> runner.run(List.of("/bin/sh", "-c", "echo $$ > " + pids + "; exec sleep 300"), LONG));
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pids) && Files.size(pids) > 0);

    runner.close();

    ProcessOutcome stopped = pending.get(10, TimeUnit.SECONDS);
    assertEquals(ProcessOutcome.Ending.STOPPED, stopped.ending());
    assertEquals(128 + 9, stopped.exitCode());
    assertFalse(ProcessHandle.of(readPid(pids)).isPresent(), "killed process not reaped");
    ProcessOutcome after = runner.run(List.of("/bin/true"), LONG);
    assertEquals(ProcessOutcome.Ending.NOT_STARTED, after.ending());
    assertEquals("runner closed", after.output());
  }

  private static long readPid(Path file) throws Exception {
    return Long.parseLong(Files.readString(file).trim());
  }
}
