package io.shadowcar.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class HealthPropertiesTest {

  @Test
  void emptyPropertiesGiveTheDefaults() {
    assertEquals(HealthConfig.defaults(), HealthProperties.bind(Map.of()));
  }

  @Test
  void bindsGlobalKeysAndEveryCheckKindWithPerCheckOverrides() {
    HealthConfig config = HealthProperties.bind(Map.ofEntries(
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
        Map.entry("shadowcar.checks.e.ttl.ms", "30000")));
    Thresholds global = new Thresholds(2, 4, 4);
    assertEquals(new HealthConfig(global, Optional.of(Path.of("/etc/app/down")), Duration.ofSeconds(1), 200, List.of(
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
  }

  @Test
  void reportsEveryProblemOneLineEach() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> HealthProperties.bind(Map.of(
        "shadowcar.health.passesBeforeReady", "zero",
        "shadowcar.checks.a.script", "true",
        "shadowcar.checks.a.http", "http://x/",
        "shadowcar.checks.b.tcp", "nohost",
        "shadowcar.checks.c.args", "true",
        "shadowcar.checks.c.intervall.ms", "5",
        "shadowcar.checks.d.args", "true",
        "shadowcar.checks.d.interval.ms", "10")));
    List<String> lines = List.of(error.getMessage().split("\n"));
    assertEquals(5, lines.size(), error.getMessage());
    assertTrue(lines.contains("shadowcar.health.passesBeforeReady: 'zero' (expected: a whole number)"), lines.toString());
    assertTrue(lines.contains("shadowcar.checks.a.*: [http, script] (expected: exactly one of args, script, http, "
        + "tcp, ttl.ms)") || lines.contains("shadowcar.checks.a.*: [script, http] (expected: exactly one of args, "
        + "script, http, tcp, ttl.ms)"), lines.toString());
    assertTrue(lines.contains("shadowcar.checks.b: tcp: nohost (expected: host:port)"), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("shadowcar.checks.c.intervall.ms: unknown key")));
    assertTrue(lines.contains("shadowcar.checks.d: d.interval.ms: 10 (expected: >= 1000)"), lines.toString());
  }
}
