package io.shadowcar.health.check;

import static io.shadowcar.health.CheckStatus.CRITICAL;
import static io.shadowcar.health.CheckStatus.PASSING;
import static io.shadowcar.health.CheckStatus.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shadowcar.health.CheckStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckStateTest {

  private static CheckState state(Thresholds thresholds) {
    return new CheckState(CheckDefinition.of("db", new CheckTarget.Ttl(Duration.ofSeconds(5)), thresholds));
  }

  private static CheckStatus feed(CheckState state, CheckStatus... results) {
    CheckStatus status = state.status();
    for (CheckStatus result : results) {
      status = state.apply(new CheckResult(result, result.label(), Duration.ZERO), Instant.now());
    }
    return status;
  }

  @Test
  void startsCriticalWithoutResult() {
    CheckState state = state(Thresholds.defaults());
    assertEquals(CRITICAL, state.status());
    assertEquals(null, state.view().lastResultStatus());
  }

  @Test
  void becomesPassingOnlyAfterThePassStreak() {
    CheckState state = state(Thresholds.defaults());
    assertEquals(CRITICAL, feed(state, PASSING, PASSING));
    assertEquals(PASSING, feed(state, PASSING));
  }

  @Test
  void aFailureResetsThePassStreak() {
    CheckState state = state(Thresholds.defaults());
    assertEquals(CRITICAL, feed(state, PASSING, PASSING, CRITICAL, PASSING, PASSING));
    assertEquals(2, state.view().successStreak());
    assertEquals(PASSING, feed(state, PASSING));
  }

  @Test
  void warningCountsTowardThePassStreakAndShowsAsWarning() {
    CheckState state = state(Thresholds.defaults());
    assertEquals(WARNING, feed(state, WARNING, PASSING, WARNING));
    assertEquals(PASSING, feed(state, PASSING));
  }

  @Test
  void becomesCriticalOnlyAfterTheFailureStreakAndAPassResetsIt() {
    CheckState state = state(new Thresholds(1, 3, 3));
    assertEquals(PASSING, feed(state, PASSING));
    assertEquals(PASSING, feed(state, CRITICAL, CRITICAL, PASSING, CRITICAL, CRITICAL));
    assertEquals(0, state.view().successStreak());
    assertEquals(2, state.view().failureStreak());
    assertEquals(CRITICAL, feed(state, CRITICAL));
  }

  @Test
  void warnsAfterFailuresBeforeWarningThenGoesCritical() {
    CheckState state = state(new Thresholds(1, 2, 4));
    feed(state, PASSING);
    assertEquals(PASSING, feed(state, CRITICAL));
    assertEquals(WARNING, feed(state, CRITICAL));
    assertEquals(WARNING, feed(state, CRITICAL));
    assertEquals(CRITICAL, feed(state, CRITICAL));
  }

  @Test
  void forcedCriticalIgnoresThresholds() {
    CheckState state = state(new Thresholds(1, 3, 3));
    feed(state, PASSING);
    state.forceCritical(new CheckResult(CRITICAL, "TTL expired", Duration.ZERO), Instant.now());
    assertEquals(CRITICAL, state.status());
    assertEquals("TTL expired", state.view().output());
  }

  @Test
  void perCheckOverridesKeepUnsetGlobalValues() {
    Thresholds global = new Thresholds(3, 2, 5);
    assertEquals(new Thresholds(1, 2, 5), global.withOverrides(1, null, null));
    assertEquals(new Thresholds(3, 1, 1), global.withOverrides(null, null, 1));
    assertEquals(new Thresholds(3, 4, 4), global.withOverrides(null, 4, 4));
  }

  @Test
  void rejectsThresholdsThatCannotWork() {
    assertEquals("passesBeforePassing: 0 (expected: >= 1)",
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(0, 1, 1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Thresholds(1, 4, 3));
    assertThrows(IllegalArgumentException.class, () -> new CheckDefinition("a b",
        new CheckTarget.Tcp("localhost", 1), Duration.ofSeconds(1), Duration.ofSeconds(1), Thresholds.defaults()));
    assertThrows(IllegalArgumentException.class, () -> new CheckDefinition("fast",
        new CheckTarget.Tcp("localhost", 1), Duration.ofMillis(999), Duration.ofSeconds(1), Thresholds.defaults()));
  }

  @Test
  void defaultTimeoutsAre30SecondsForScriptsAnd10ForTheRest() {
    assertEquals(Duration.ofSeconds(30),
        CheckDefinition.of("s", new CheckTarget.Shell("true"), Thresholds.defaults()).timeout());
    assertEquals(Duration.ofSeconds(10),
        CheckDefinition.of("t", CheckTarget.Tcp.parse("[::1]:80"), Thresholds.defaults()).timeout());
  }

  @Test
  void timeoutMessagesNameTheLimitInSeconds() {
    assertEquals("Timed out (30s)", CheckResult.timedOut(Duration.ofSeconds(30)));
    assertEquals("Timed out (1.5s)", CheckResult.timedOut(Duration.ofMillis(1500)));
  }
}
