package io.shadowcar.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplatePropertiesTest {

  private static final String APP = "shadowcar.templates.app.";

  @Test
  void bindsEveryKey() {
    List<TemplateConfig> templates = TemplateProperties.bind(Map.of(
        APP + "source", "/etc/shadowcar/app.properties.template",
        APP + "target", "/etc/app/app.properties",
        APP + "command", "kill -HUP 1",
        APP + "perms", "0640",
        APP + "wait.min", "2s",
        APP + "wait.max", "10000",
        APP + "backup", "true",
        APP + "command.timeout", "1m",
        APP + "inPlaceFallback", "true",
        "shadowcar.proxy.port", "7000"));
    assertEquals(List.of(new TemplateConfig("app", Path.of("/etc/shadowcar/app.properties.template"),
        Path.of("/etc/app/app.properties"), Optional.of("kill -HUP 1"),
        Optional.of(PosixFilePermissions.fromString("rw-r-----")), Duration.ofSeconds(2), Duration.ofSeconds(10),
        true, Duration.ofMinutes(1), true)), templates);
  }

  @Test
  void appliesDefaults() {
    TemplateConfig config = TemplateProperties.bind(Map.of(APP + "source", "a.template", APP + "target", "a"))
        .get(0);
    assertEquals(TemplateConfig.of("app", Path.of("a.template"), Path.of("a")), config);
    assertEquals(Duration.ofSeconds(30), config.commandTimeout());
    assertFalse(config.backup());
  }

  @Test
  void blankCommandOrPermsMeanNone() {
    TemplateConfig config = TemplateProperties.bind(Map.of(APP + "source", "a.template", APP + "target", "a",
        APP + "command", " ", APP + "perms", "")).get(0);
    assertEquals(Optional.empty(), config.command());
    assertEquals(Optional.empty(), config.perms());
  }

  @Test
  void waitMaxDefaultsToFourTimesWaitMin() {
    TemplateConfig config = TemplateProperties.bind(
        Map.of(APP + "source", "a.template", APP + "target", "a", APP + "wait.min", "500ms")).get(0);
    assertEquals(Duration.ofMillis(2000), config.waitMax());
  }

  @Test
  void namesTheFullKeyOfEveryProblem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemplateProperties.bind(Map.of(
        APP + "target", "a",
        APP + "perms", "0999",
        APP + "backup", "yes",
        APP + "wait.min", "soon",
        APP + "sauce", "x")));
    List<String> lines = e.getMessage().lines().toList();
    assertTrue(lines.contains(APP + "source: missing (expected: a file path)"), e.getMessage());
    assertTrue(lines.contains(APP + "perms: \"0999\" (expected: octal mode like 0640)"), e.getMessage());
    assertTrue(lines.contains(APP + "backup: \"yes\" (expected: true or false)"), e.getMessage());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(APP + "wait.min: \"soon\"")), e.getMessage());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(APP + "sauce: unknown key")), e.getMessage());
    assertEquals(5, lines.size(), e.getMessage());
  }

  @Test
  void rejectsWaitMaxBelowWaitMin() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemplateProperties.bind(Map.of(
        APP + "source", "a.template", APP + "target", "a", APP + "wait.min", "2s", APP + "wait.max", "1s")));
    assertEquals(APP + "wait.max: 1000ms (expected: >= wait.min 2000ms)", e.getMessage());
  }

  @Test
  void rejectsNamesThatCannotBeMetricTags() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TemplateConfig.of("a b", Path.of("s"), Path.of("t")));
    assertTrue(e.getMessage().startsWith("name: \"a b\""), e.getMessage());
  }

  @Test
  void rejectsTargetEqualToSource() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TemplateConfig.of("a", Path.of("/x/f"), Path.of("/x/../x/f")));
    assertTrue(e.getMessage().startsWith("target: "), e.getMessage());
  }

  @Test
  void rejectsZeroCommandTimeout() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TemplateConfig.of("a", Path.of("s"), Path.of("t")).withCommand("true", Duration.ZERO));
    assertEquals("command.timeout: 0ms (expected: > 0)", e.getMessage());
  }

  @Test
  void parsesPermsWithOrWithoutLeadingZero() {
    assertEquals(PosixFilePermissions.fromString("rwxr-x---"), TemplateConfig.parsePerms("750"));
    assertEquals(PosixFilePermissions.fromString("rw-------"), TemplateConfig.parsePerms("0600"));
  }

  @Test
  void bindsNothingWithoutTemplateKeys() {
    assertEquals(List.of(), TemplateProperties.bind(Map.of("shadowcar.proxy.port", "7000")));
  }
}
