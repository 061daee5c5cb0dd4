package io.shadowcar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.DiffRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiffConfigBinderTest {

  @Test
  void noKeysGiveTheEnginesDefaults() {
    ConfigView view = ConfigView.of(Map.of());
    assertEquals(DiffConfig.defaults(), DiffConfigBinder.bind(view));
    assertTrue(view.problems().isEmpty());
  }

  @Test
  void bindsThresholdsRulesTolerancesAndLatency() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.diff.noise.relativeThresholdPercent", "10",
        "shadowcar.diff.noise.absoluteThresholdPercent", "1.5",
        "shadowcar.diff.ignore.paths", "body.meta.*, body.items[*].at",
        "shadowcar.diff.ignore.headers", "Date,X-Trace-*",
        "shadowcar.diff.sets", "body.tags",
        "shadowcar.diff.numericTolerance", "0.001",
        "shadowcar.diff.latency.factor", "2",
        "shadowcar.diff.latency.minSamples", "20"));
    DiffConfig config = DiffConfigBinder.bind(view);

    assertTrue(view.problems().isEmpty(), () -> view.problems().toString());
    assertEquals(10.0, config.relativeThreshold());
    assertEquals(1.5, config.absoluteThreshold());
    assertEquals(new DiffRules(List.of("body.meta.*", "body.items[*].at"), List.of("Date", "X-Trace-*"),
        DiffRules.DEFAULT_VALUE_IGNORED_HEADERS, List.of("body.tags")), config.rules());
    assertEquals(0.001, config.absoluteTolerance());
    assertEquals(2.0, config.latencyFactor());
    assertEquals(20, config.minSamples());
  }

  @Test
  void anEndpointAddsItsTemplateAndItsRulesForEveryMethodOrTheOneItNames() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.diff.endpoints.users.template", "/users/{name}",
        "shadowcar.diff.endpoints.users.ignore.paths", "body.generatedAt",
        "shadowcar.diff.endpoints.search.template", "POST /search/**",
        "shadowcar.diff.endpoints.search.sets", "body.hits"));
    DiffConfig config = DiffConfigBinder.bind(view);

    assertTrue(view.problems().isEmpty(), () -> view.problems().toString());
    assertEquals(List.of("/search/**", "/users/{name}"), config.templates());
    assertEquals(List.of("body.generatedAt"), config.rulesFor("GET /users/{name}").ignoredPaths());
    assertEquals(List.of("body.generatedAt"), config.rulesFor("DELETE /users/{name}").ignoredPaths());
    assertEquals(List.of("body.hits"), config.rulesFor("POST /search/**").setPaths());
    assertEquals(List.of(), config.rulesFor("GET /search/**").setPaths());
  }

  @Test
  void badValuesAreProblemsOnTheirKeys() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.diff.latency.factor", "0.5",
        "shadowcar.diff.noise.relativeThresholdPercent", "-1",
        "shadowcar.diff.endpoints.bad.template", "users/{id",
        "shadowcar.diff.endpoints.nameless.ignore.paths", "body.x"));
    DiffConfigBinder.bind(view);

    assertEquals(List.of(
        new ConfigProblem("shadowcar.diff.noise.relativeThresholdPercent", "-1", "percent 0-100"),
        new ConfigProblem("shadowcar.diff.latency.factor", "0.5", "number 1-1000"),
        new ConfigProblem("shadowcar.diff.endpoints.bad.template", "users/{id", "a path starting with /"),
        new ConfigProblem("shadowcar.diff.endpoints.nameless.template", null,
            DiffSettings.ENDPOINT_TEMPLATE.expected())), view.problems());
  }
}
