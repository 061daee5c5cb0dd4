package io.shadowcar.templates;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {

  @TempDir Path dir;

  private final CommandRunner runner = new CommandRunner(Clock.systemUTC());

  @Test
  void capturesExitCodeAndBothStreams() {
    CommandResult result = runner.run("echo out; echo err >&2; exit 3", Duration.ofSeconds(30));

    assertEquals(3, result.exitCode());
    assertEquals(CommandResult.Outcome.FAILED, result.outcome());
    assertEquals("out\nerr\n", result.output());
  }

  @Test
  void exitZeroIsOk() {
    CommandResult result = runner.run("true", Duration.ofSeconds(30));

    assertEquals(0, result.exitCode());
    assertEquals(CommandResult.Outcome.OK, result.outcome());
    assertEquals("", result.output());
  }

  @Test
  void keepsOnlyTheLastFourKibOfOutput() {
    CommandResult result = runner.run("head -c 10000 /dev/zero | tr '\\0' a; printf END", Duration.ofSeconds(30));

    assertTrue(result.output().startsWith("Captured 4096 of 10003 bytes\n"), result.output().substring(0, 40));
    assertTrue(result.output().endsWith("aEND"));
    assertEquals("Captured 4096 of 10003 bytes\n".length() + 4096, result.output().length());
  }

  @Test
  void timeoutKillsTheCommandAndEveryProcessItStarted() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    assertTimesOutAndKills(
        "echo started; sleep 300 & echo $! > '" + pidFile + "'; wait", Duration.ofMillis(500), pidFile);
  }

  @Test
  void timeoutKillsADoubleForkedGrandchildToo() throws Exception {
    Path pidFile = dir.resolve("grandchild.pid");
    // The subshell exits at once: its sleep is re-parented away from the shell and is no longer its descendant.
    assertTimesOutAndKills(
        "echo started; ( sleep 300 & echo $! > '" + pidFile + "' ); sleep 300", Duration.ofSeconds(2), pidFile);
  }

  /** Runs a command that prints "started", writes a background sleep's pid to pidFile and outlives its timeout. */
  private void assertTimesOutAndKills(String command, Duration timeout, Path pidFile) throws Exception {
    CommandResult result = runner.run(command, timeout);

    assertEquals(CommandResult.Outcome.TIMED_OUT, result.outcome());
    assertEquals(-1, result.exitCode());
    assertTrue(result.output().startsWith("Timed out (" + timeout.toMillis() + "ms)\nstarted"), result.output());
    long child = Long.parseLong(Files.readString(pidFile).strip());
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    Optional<ProcessHandle> handle = ProcessHandle.of(child);
    assertFalse(handle.isPresent() && handle.get().isAlive());
  }

  @Test
  void aCommandThatCannotRunIsAFailureWithItsError() {
    CommandResult result = runner.run("/nonexistent/reload-app", Duration.ofSeconds(30));

    assertEquals(127, result.exitCode());
    assertEquals(CommandResult.Outcome.FAILED, result.outcome());
    assertTrue(result.output().contains("/nonexistent/reload-app"), result.output());
  }
}
