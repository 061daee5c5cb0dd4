package io.shadowcar.launcher.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.launcher.cli.ArgumentValues;
import io.shadowcar.launcher.cli.ArgumentValues.BadArgumentException;
import io.shadowcar.launcher.replay.ReplayOptions.Pacing;
import io.shadowcar.launcher.replay.ReplayOptions.StartPosition;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayArgumentsTest {

  private static final String[] REQUIRED = {"--bootstrap", "k:9092", "--topic", "t", "--target", "http://svc:8080"};

  @Test
  void defaultsToTheEndAtRecordedPaceWithSafeMethodsAndNoGroup() throws Exception {
    ReplayOptions options = ReplayArguments.parse(REQUIRED);

    assertEquals(StartPosition.Kind.LATEST, options.from().kind());
    assertEquals(new Pacing(Pacing.Mode.RECORDED, 1), options.pacing());
    assertEquals(0, options.count());
    assertEquals(Duration.ZERO, options.duration());
    assertEquals(Optional.empty(), options.group());
    assertEquals(1.0, options.maxFailurePercent());
    assertEquals(64, options.maxInflight());
    assertEquals(false, options.allowUnsafe());
  }

  @Test
  void readsEveryOptionInBothSpellings() throws Exception {
    ReplayOptions options = ReplayArguments.parse("--bootstrap=k:9092", "--topic", "t", "--target",
        "https://svc/base", "--from", "offset:42", "--count", "10", "--duration=1m", "--rate", "2.5", "--route",
        "api-*", "--method", "get,head", "--path", "/orders/**", "--allow-unsafe", "--json",
        "--max-failure-percent", "0", "--group", "g", "--max-inflight", "8", "--timeout", "500ms");

    assertEquals(new StartPosition(StartPosition.Kind.OFFSET, 42), options.from());
    assertEquals(10, options.count());
    assertEquals(Duration.ofMinutes(1), options.duration());
    assertEquals(new Pacing(Pacing.Mode.FIXED_RATE, 2.5), options.pacing());
    assertEquals(Optional.of("api-*"), options.routeGlob());
    assertEquals(Set.of("GET", "HEAD"), options.methods());
    assertEquals(Optional.of("/orders/**"), options.pathGlob());
    assertTrue(options.allowUnsafe() && options.json());
    assertEquals(0.0, options.maxFailurePercent());
    assertEquals(Optional.of("g"), options.group());
    assertEquals(8, options.maxInflight());
    assertEquals(Duration.ofMillis(500), options.timeout());
  }

  @Test
  void aGroupWithoutFromResumesFromItsCommittedOffsets() throws Exception {
    assertEquals(StartPosition.Kind.COMMITTED,
        ReplayArguments.parse(with("--group", "g")).from().kind());
    assertEquals(new StartPosition(StartPosition.Kind.TIMESTAMP, 1732412345678L),
        ReplayArguments.parse(with("--group", "g", "--from", "1732412345678")).from());
  }

  @Test
  void rejectsEachMistakeWithALineNamingTheArgument() {
    assertBad("--bootstrap is required", "--topic", "t", "--target", "http://x");
    assertBad("--target: 'x:80'", "--bootstrap", "k:9092", "--topic", "t", "--target", "x:80");
    assertBad("--from: 'yesterday'", with("--from", "yesterday"));
    assertBad("--count: '0'", with("--count", "0"));
    assertBad("--duration: 'soon'", with("--duration", "soon"));
    assertBad("--speed and --rate exclude each other", with("--speed", "2", "--rate", "5"));
    assertBad("--rate: '-1'", with("--rate", "-1"));
    assertBad("--path: 'orders'", with("--path", "orders"));
    assertBad("--max-failure-percent: '101'", with("--max-failure-percent", "101"));
    assertBad("--count needs a value", with("--count"));
    assertBad("unknown argument: --frm", with("--frm", "earliest"));
    assertBad("--count given twice", with("--count", "5", "--count", "6"));
    assertBad("unknown argument: --json", with("--json=true"));
  }

  @Test
  void inflightAboveItsCeilingIsCappedNotRefused() throws Exception {
    assertEquals(ArgumentValues.MAX_INFLIGHT, ReplayArguments.parse(with("--max-inflight", "20000")).maxInflight());
  }

  @Test
  void helpWinsOverEverythingElse() {
    assertTrue(ArgumentValues.wantsHelp("--rate", "nonsense", "--help"));
  }

  private static String[] with(String... more) {
    String[] all = new String[REQUIRED.length + more.length];
    System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
    System.arraycopy(more, 0, all, REQUIRED.length, more.length);
    return all;
  }

  private static void assertBad(String start, String... args) {
    BadArgumentException e = assertThrows(BadArgumentException.class, () -> ReplayArguments.parse(args));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
