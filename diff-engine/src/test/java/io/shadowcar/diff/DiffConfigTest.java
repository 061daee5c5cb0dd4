package io.shadowcar.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DiffConfigTest {

  private final DiffConfig d = DiffConfig.defaults();

  @Test
  void defaultsAreDiffysThresholdsAndTheDocumentedLimits() {
    assertEquals(20.0, d.relativeThreshold());
    assertEquals(0.03, d.absoluteThreshold());
    assertEquals(1.2, d.latency().factor());
    assertEquals(0, d.latency().minDeltaMillis(), "no floor: the factor alone, as the reference tool's semantics");
    assertEquals(100, d.latency().minSamples());
    assertEquals(1.0, d.latency().errorRateMargin());
    assertEquals(DiffRules.DEFAULT_IGNORED_HEADERS, d.rules().ignoredHeaders());
    assertEquals(List.of("Set-Cookie"), d.rules().valueIgnoredHeaders());
  }

  @Test
  void rejectsNegativeThresholdsNamingTheField() {
    assertMessage("relativeThreshold: -1.0 (expected: >= 0)", () -> d.withThresholds(-1.0, 0.03));
    assertMessage("absoluteThreshold: NaN (expected: >= 0)", () -> d.withThresholds(20, Double.NaN));
    assertMessage("absoluteTolerance: -0.1 (expected: >= 0)", () -> d.withTolerance(-0.1, 0));
    assertMessage("relativeTolerance: Infinity (expected: >= 0)",
        () -> d.withTolerance(0, Double.POSITIVE_INFINITY));
  }

  @Test
  void rejectsBadLatencySettings() {
    assertMessage("latency.factor: 0.9 (expected: >= 1.0)", () -> new LatencyComparison(0.9, 0, 100, 1));
    assertMessage("latency.minSamples: 0 (expected: > 0)", () -> new LatencyComparison(1.2, 0, 0, 1));
    assertMessage("latency.minDeltaMillis: -1 (expected: >= 0)", () -> new LatencyComparison(1.2, -1, 100, 1));
    assertMessage("latency.errorRateMargin: -1.0 (expected: >= 0)", () -> new LatencyComparison(1.2, 0, 100, -1));
    assertEquals("latency", assertThrows(NullPointerException.class, () -> d.withLatency(null)).getMessage());
  }

  @Test
  void rejectsBlankRuleEntriesAndBadTemplates() {
    assertMessage("ignoredPaths: [body.a,  ] (expected: no blank entry)",
        () -> d.rules().withIgnoredPaths(List.of("body.a", " ")));
    assertMessage("templates: nope (expected: a path starting with /)", () -> d.withTemplates(List.of("nope")));
  }

  @Test
  void mergesEndpointRulesOntoGlobalRules() {
    DiffConfig c = d.withRules(DiffRules.none().withIgnoredPaths(List.of("body.a")))
        .withEndpointRules(Map.of("GET /x", DiffRules.none().withIgnoredPaths(List.of("body.b", "body.a"))
            .withSetPaths(List.of("body.s"))));
    assertEquals(List.of("body.a", "body.b"), c.rulesFor("GET /x").ignoredPaths());
    assertEquals(List.of("body.s"), c.rulesFor("GET /x").setPaths());
    assertEquals(List.of("body.a"), c.rulesFor("GET /y").ignoredPaths());
  }

  private static void assertMessage(String expected, Executable call) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
  }
}
