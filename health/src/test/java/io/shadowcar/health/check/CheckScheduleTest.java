package io.shadowcar.health.check;

import static io.shadowcar.health.check.Processes.script;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shadowcar.health.process.CapturedOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckScheduleTest {

  @TempDir Path dir;

  @Test
  void neverOverlapsTwoRunsOfOneCheckEvenWhenARunOutlastsTheInterval() throws Exception {
    Path log = dir.resolve("log");
    // Each run takes longer than the interval; a second run starting early would show as start,start.
    Path slow = script(dir, "slow.sh", "echo start >> " + log + "\nsleep 1.3\necho end >> " + log);
    CheckDefinition definition = new CheckDefinition("slow", new CheckTarget.Args(List.of(slow.toString())),
        Duration.ofSeconds(1), Duration.ofSeconds(30), Thresholds.defaults());
    ExecutorService executor = Executors.newFixedThreadPool(4);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    List<CheckResult> results = new CopyOnWriteArrayList<>();
    try (ScriptRunner runner = new ScriptRunner(executor, timer, CapturedOutput.DEFAULT_CAPACITY)) {
      CheckSchedule schedule = new CheckSchedule(definition, new ScriptCheck(definition, runner), timer, results::add);
      schedule.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> results.size() >= 3);
      schedule.stop();
    } finally {
      executor.shutdownNow();
      timer.shutdownNow();
    }
    List<String> lines = Files.readAllLines(log);
    for (int i = 0; i < 6; i++) {
      assertEquals(i % 2 == 0 ? "start" : "end", lines.get(i), "line " + i + " of " + lines);
    }
  }
}
