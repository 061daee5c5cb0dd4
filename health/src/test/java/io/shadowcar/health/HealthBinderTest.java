package io.shadowcar.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.SettingCatalog;
import io.shadowcar.health.check.CheckDefinition;
import io.shadowcar.health.check.CheckTarget;
import io.shadowcar.health.check.Thresholds;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthBinderTest {

  private static final SettingCatalog CATALOG = new SettingCatalog(HealthSettings.all());

  @Test
  void emptyPropertiesGiveTheDefaults() {
    ConfigView view = ConfigView.of(Map.of());
    assertEquals(HealthConfig.defaults(), HealthBinder.bind(view));
    assertEquals(List.of(), view.problems());
  }

  @Test
  void bindsGlobalKeysAndEveryCheckKindWithPerCheckOverrides() {
    Map<String, String> values = Map.ofEntries(
        Map.entry("shadowcar.health.passesBeforeReady", "2"),
        Map.entry("shadowcar.health.failuresBeforeCritical", "4"),
        Map.entry("shadowcar.health.warningStatusCode", "200"),
        Map.entry("shadowcar.killswitch.file", "/etc/app/down"),
        Map.entry("shadowcar.checks.a.args", "/opt/check.sh, --fast"),
        Map.entry("shadowcar.checks.a.passesBeforePassing", "1"),
        Map.entry("shadowcar.checks.b.script", "test -f /tmp/x"),
        Map.entry("shadowcar.checks.b.timeout.ms", "1500"),
        Map.entry("shadowcar.checks.c.http", "http://127.0.0.1:8080/health"),
        Map.entry("shadowcar.checks.c.interval.ms", "2000"),
        Map.entry("shadowcar.checks.c.tlsSkipVerify", "true"),
        Map.entry("shadowcar.checks.d.tcp", "127.0.0.1:5432"),
        Map.entry("shadowcar.checks.d.failuresBeforeCritical", "1"),
        Map.entry("shadowcar.checks.e.ttl.ms", "30000"));
    ConfigView view = ConfigView.of(values);
    HealthConfig config = HealthBinder.bind(view);
    Thresholds global = new Thresholds(2, 4, 4);
    assertEquals(new HealthConfig(global, Optional.of(Path.of("/etc/app/down")), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 200, List.of(
        new CheckDefinition("a", new CheckTarget.Args(List.of("/opt/check.sh", "--fast")), Duration.ofSeconds(10),
            Duration.ofSeconds(30), new Thresholds(1, 4, 4)),
        new CheckDefinition("b", new CheckTarget.Shell("test -f /tmp/x"), Duration.ofSeconds(10),
            Duration.ofMillis(1500), global),
        new CheckDefinition("c", new CheckTarget.Http(URI.create("http://127.0.0.1:8080/health"), true),
            Duration.ofSeconds(2), Duration.ofSeconds(10), global),
        new CheckDefinition("d", new CheckTarget.Tcp("127.0.0.1", 5432), Duration.ofSeconds(10),
            Duration.ofSeconds(10), new Thresholds(2, 1, 1)),
        new CheckDefinition("e", new CheckTarget.Ttl(Duration.ofSeconds(30)), Duration.ofSeconds(10),
            Duration.ofSeconds(10), global))), config);
    assertEquals(List.of(), view.problems());
    assertEquals(List.of(), CATALOG.unknownKeys(values), "every key the binder reads is declared");
  }

  @Test
  void recordsEveryProblemOnItsExactKey() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.health.passesBeforeReady", "zero",
        "shadowcar.checks.a.script", "true",
        "shadowcar.checks.a.http", "http://x/",
        "shadowcar.checks.b.tcp", "nohost",
        "shadowcar.checks.c.args", "true",
        "shadowcar.checks.d.args", "true",
        "shadowcar.checks.d.interval.ms", "10",
        "shadowcar.checks.e.script", "true",
        "shadowcar.checks.e.tlsSkipVerify", "true"));
    assertNull(HealthBinder.bind(view));
    assertEquals(List.of(
        new ConfigProblem("shadowcar.health.passesBeforeReady", "zero", "rounds 1-10000"),
        new ConfigProblem("shadowcar.checks.a", "shadowcar.checks.a.script, shadowcar.checks.a.http",
            "exactly one of .args, .script, .http, .tcp, .ttl.ms"),
        new ConfigProblem("shadowcar.checks.b.tcp", "nohost", "host:port"),
        new ConfigProblem("shadowcar.checks.d.interval.ms", "10", "milliseconds >= 1000"),
        new ConfigProblem("shadowcar.checks.e.tlsSkipVerify", "true", "only on http checks")), view.problems());
    assertEquals("shadowcar.checks.b.tcp: 'nohost' (expected: host:port)", view.problems().get(2).toString());
  }

  @Test
  void mapsARecordsRejectionToTheKeyThatCausedIt() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.health.failuresBeforeWarning", "5",
        "shadowcar.checks.a.args", "true",
        "shadowcar.checks.a.failuresBeforeCritical", "2",
        "shadowcar.checks.a.failuresBeforeWarning", "3",
        "shadowcar.checks.b.http", "ftp://host/x"));
    assertNull(HealthBinder.bind(view));
    assertEquals(List.of(
        new ConfigProblem("shadowcar.health.failuresBeforeWarning", "5", "1-3, at most failuresBeforeCritical"),
        new ConfigProblem("shadowcar.checks.a.failuresBeforeWarning", "3", "1-2, at most failuresBeforeCritical"),
        new ConfigProblem("shadowcar.checks.b.http", "ftp://host/x", "an http:// or https:// URL with a host")),
        view.problems());
  }

  @Test
  void aCheckWithoutTargetIsNamed() {
    ConfigView view = ConfigView.of(Map.of("shadowcar.checks.db.interval.ms", "5000"));
    assertNull(HealthBinder.bind(view));
    assertEquals(List.of(new ConfigProblem("shadowcar.checks.db", null,
        "exactly one of .args, .script, .http, .tcp, .ttl.ms")), view.problems());
  }

  @Test
  void typosInCheckKeysAreLeftToTheCatalogWhichSuggestsTheKnownKey() {
    Map<String, String> values = Map.of("shadowcar.checks.c.args", "true", "shadowcar.checks.c.intervall.ms", "5");
    ConfigView view = ConfigView.of(values);
    assertEquals(1, HealthBinder.bind(view).checks().size());
    assertEquals(List.of(new ConfigProblem("shadowcar.checks.c.intervall.ms", "5",
        "a known key; did you mean shadowcar.checks.c.interval.ms?")), CATALOG.unknownKeys(values));
  }
}
