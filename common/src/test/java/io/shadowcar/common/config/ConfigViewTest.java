package io.shadowcar.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigViewTest {

  private static final Setting<Integer> INFLIGHT =
      Setting.positiveInt("shadowcar.shadow.maxInflight", 1024, "copies in flight");
  private static final Setting<Duration> INTERVAL =
      Setting.millis("shadowcar.checks.NAME.interval.ms", 10_000, 1000, "check interval");
  private static final Setting<List<String>> METHODS =
      Setting.list("shadowcar.shadow.methods", "GET,HEAD,OPTIONS", "comma list of methods", "methods copied");

  record Limits(int max) {
    Limits {
      InvalidValueException.check(max < 5000, "max", max, "< 5000");
    }
  }

  @Test
  void returnsTheDeclaredDefaultWhenUnsetOrBlank() {
    ConfigView view = ConfigView.of(Map.of("shadowcar.shadow.methods", "  "));
    assertEquals(1024, view.get(INFLIGHT));
    assertEquals(List.of("GET", "HEAD", "OPTIONS"), view.get(METHODS));
    assertEquals(List.of(), view.problems());
  }

  @Test
  void recordsEveryBadValueWithKeyValueAndExpectation() {
    ConfigView view = ConfigView.of(Map.of("shadowcar.shadow.maxInflight", "abc",
        "shadowcar.checks.db.interval.ms", "5"));
    assertEquals(1024, view.get(INFLIGHT));
    assertEquals(Duration.ofSeconds(10), view.get(INTERVAL, "db"));
    assertEquals(List.of(
        new ConfigProblem("shadowcar.shadow.maxInflight", "abc", "integer > 0"),
        new ConfigProblem("shadowcar.checks.db.interval.ms", "5", "milliseconds >= 1000")), view.problems());
    InvalidConfigException thrown = assertThrows(InvalidConfigException.class, view::throwIfInvalid);
    assertEquals("shadowcar.shadow.maxInflight: 'abc' (expected: integer > 0)\n"
        + "shadowcar.checks.db.interval.ms: '5' (expected: milliseconds >= 1000)", thrown.getMessage());
  }

  @Test
  void mapsARecordsFieldProblemToItsKeyWithoutParsingText() {
    ConfigView view = ConfigView.of(Map.of("shadowcar.shadow.maxInflight", "6000"));
    Limits limits = view.build(() -> new Limits(view.get(INFLIGHT)),
        Map.of("max", INFLIGHT.key()), "shadowcar.shadow");
    assertNull(limits);
    assertEquals(List.of(new ConfigProblem("shadowcar.shadow.maxInflight", "6000", "< 5000")), view.problems());
  }

  @Test
  void requireReportsAMissingKey() {
    Setting<String> path = Setting.string("shadowcar.routes.NAME.path", null, "glob");
    ConfigView view = ConfigView.of(Map.of("shadowcar.routes.api.methods", "POST"));
    assertEquals(java.util.SortedSet.class.isInstance(view.names("shadowcar.routes.")), true);
    assertNull(view.require(path, "api"));
    assertEquals(List.of(new ConfigProblem("shadowcar.routes.api.path", null, "text")), view.problems());
  }

  @Test
  void aDefaultThatDoesNotParseFailsAtDeclaration() {
    assertThrows(IllegalStateException.class, () -> Setting.positiveInt("shadowcar.x", 0, "zero is not > 0"));
  }
}
