package io.shadowcar.health.check;

import static io.shadowcar.health.check.Processes.isRunning;
import static io.shadowcar.health.check.Processes.readPid;
import static io.shadowcar.health.check.Processes.script;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.process.CapturedOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptRunnerTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path dir;
  private ExecutorService executor;
  private ScheduledExecutorService timer;
  private ScriptRunner runner;

  @BeforeEach
  void start() {
    executor = Executors.newFixedThreadPool(4);
    timer = Executors.newSingleThreadScheduledExecutor();
    runner = new ScriptRunner(executor, timer, CapturedOutput.DEFAULT_CAPACITY);
  }

  @AfterEach
  void stop() throws InterruptedException {
    runner.close();
    executor.shutdownNow();
    timer.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  private CheckResult run(Duration timeout, String... command) {
    return runner.run(List.of(command), timeout).join();
  }

  @ParameterizedTest
  @CsvSource({"0, PASSING", "1, WARNING", "2, CRITICAL", "3, CRITICAL", "126, CRITICAL"})
  void mapsExitCodesLikeConsul(int exitCode, CheckStatus expected) {
    CheckResult result = run(LONG, "/bin/sh", "-c", "echo out; echo err >&2; exit " + exitCode);
    assertEquals(expected, result.status());
    assertTrue(result.output().startsWith("out\nerr\n"), result.output());
  }

  @Test
  void deathBySignalIsCritical() {
    CheckResult result = run(LONG, "/bin/sh", "-c", "echo dying; kill -9 $$");
    assertEquals(CheckStatus.CRITICAL, result.status());
    assertTrue(result.output().contains("signal 9"), result.output());
  }

  @Test
  void aCommandThatCannotStartIsCriticalWithTheError() {
    CheckResult missing = run(LONG, dir.resolve("missing.sh").toString());
    assertEquals(CheckStatus.CRITICAL, missing.status());
    assertTrue(missing.output().contains("No such file"), missing.output());
  }

  @Test
  void aScriptWithoutExecutePermissionIsCritical() throws Exception {
    Path notExecutable = dir.resolve("plain.sh");
    Files.writeString(notExecutable, "#!/bin/sh\nexit 0\n");
    CheckResult result = run(LONG, notExecutable.toString());
    assertEquals(CheckStatus.CRITICAL, result.status());
    assertTrue(result.output().contains("Permission denied"), result.output());
  }

  @Test
  void argsAreNotInterpretedByAShell() throws Exception {
    Path echo = script(dir, "echo.sh", "printf '%s|' \"$@\"");
    CheckResult result = run(LONG, echo.toString(), "a b", "$HOME", "; exit 2");
    assertEquals(CheckStatus.PASSING, result.status());
    assertEquals("a b|$HOME|; exit 2|", result.output());
  }

  @Test
  void timeoutKillsTheWholeProcessGroupIncludingGrandchildren() throws Exception {
    Path pids = dir.resolve("pids");
    Path shell = dir.resolve("shell");
    Path sleeper = script(dir, "sleeper.sh",
        "sleep 300 &\necho $! > " + pids + "\necho started\nwait");
    CheckResult result = run(Duration.ofSeconds(3), "/bin/sh", "-c",
        "echo $$ > " + shell + "; " + sleeper + "; echo unreachable");
    // The run completes only after the direct child was waited for: not even a zombie is left of it.
    assertFalse(Files.exists(Path.of("/proc", Long.toString(readPid(shell)))), "child still in the process table");
    assertEquals(CheckStatus.CRITICAL, result.status());
    assertTrue(result.output().startsWith("Timed out (3s)\n"), result.output());
    assertTrue(result.output().contains("started"), result.output());
    assertFalse(result.output().contains("unreachable"), result.output());
    long grandchild = readPid(pids);
    await().atMost(Duration.ofSeconds(5)).until(() -> !isRunning(grandchild));
  }

  @Test
  void aBackgroundChildHoldingTheOutputDoesNotHangTheRun() throws Exception {
    Path pids = dir.resolve("pids");
    CheckResult result = run(LONG, "/bin/sh", "-c", "sleep 300 & echo $! > " + pids + "; echo done");
    assertEquals(CheckStatus.PASSING, result.status());
    assertEquals("done\n", result.output());
    long leftover = readPid(pids);
    await().atMost(Duration.ofSeconds(5)).until(() -> !isRunning(leftover));
  }

  @Test
  void keepsTheLastFourKibOfNoisyOutputWithPrefix() {
    CheckResult result = run(LONG, "/bin/sh", "-c",
        "i=0; while [ $i -lt 1000 ]; do echo line-$i-xxxxxxxx; i=$((i+1)); done; echo THE-END");
    // 10 lines of 16 bytes, 90 of 17, 900 of 18, then 8 bytes of THE-END\n = 17898
    assertEquals(CheckStatus.PASSING, result.status());
    assertTrue(result.output().startsWith("Captured 4096 of 17898 bytes\n"), result.output().substring(0, 40));
    assertTrue(result.output().endsWith("line-999-xxxxxxxx\nTHE-END\n"));
  }

  @Test
  void closingKillsRunningScripts() throws Exception {
    Path pids = dir.resolve("pids");
    var pending = runner.run(List.of("/bin/sh", "-c", "echo $$ > " + pids + "; exec sleep 300"), LONG);
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pids) && Files.size(pids) > 0);
    runner.close();
    assertEquals(CheckStatus.CRITICAL, pending.get(10, TimeUnit.SECONDS).status());
    assertFalse(isRunning(readPid(pids)));
  }
}
