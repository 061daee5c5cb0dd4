package io.shadowcar.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.InvalidValueException;
import io.shadowcar.common.config.SettingCatalog;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateBinderTest {

  private static final String APP = "shadowcar.templates.app.";
  private static final SettingCatalog CATALOG = new SettingCatalog(TemplateSettings.all());

  private static List<TemplateConfig> bind(Map<String, String> values) {
    ConfigView view = ConfigView.of(values);
    List<TemplateConfig> templates = TemplateBinder.bind(view);
    assertEquals(List.of(), view.problems());
    return templates;
  }

  @Test
  void bindsEveryKey() {
    Map<String, String> values = Map.of(
        APP + "source", "/etc/shadowcar/app.properties.template",
        APP + "target", "/etc/app/app.properties",
        APP + "command", "kill -HUP 1",
        APP + "perms", "0640",
        APP + "wait.min", "2s",
        APP + "wait.max", "10000",
        APP + "backup", "true",
        APP + "command.timeout", "1m",
        APP + "inPlaceFallback", "true");
    assertEquals(List.of(new TemplateConfig("app", Path.of("/etc/shadowcar/app.properties.template"),
        Path.of("/etc/app/app.properties"), Optional.of("kill -HUP 1"),
        Optional.of(PosixFilePermissions.fromString("rw-r-----")), Duration.ofSeconds(2), Duration.ofSeconds(10),
        true, Duration.ofMinutes(1), true)), bind(values));
    assertEquals(List.of(), CATALOG.unknownKeys(values), "every key the binder reads is declared");
  }

  @Test
  void appliesDefaults() {
    TemplateConfig config = bind(Map.of(APP + "source", "a.template", APP + "target", "a")).get(0);
    assertEquals(TemplateConfig.of("app", Path.of("a.template"), Path.of("a")), config);
    assertEquals(Duration.ofSeconds(30), config.commandTimeout());
    assertFalse(config.backup());
  }

  @Test
  void blankCommandOrPermsMeanNone() {
    TemplateConfig config = bind(Map.of(APP + "source", "a.template", APP + "target", "a",
        APP + "command", " ", APP + "perms", "")).get(0);
    assertEquals(Optional.empty(), config.command());
    assertEquals(Optional.empty(), config.perms());
  }

  @Test
  void waitMaxDefaultsToFourTimesWaitMin() {
    TemplateConfig config = bind(Map.of(APP + "source", "a.template", APP + "target", "a", APP + "wait.min", "500ms"))
        .get(0);
    assertEquals(Duration.ofMillis(2000), config.waitMax());
  }

  @Test
  void namesTheFullKeyOfEveryProblem() {
    ConfigView view = ConfigView.of(Map.of(
        APP + "target", "a",
        APP + "perms", "0999",
        APP + "backup", "yes",
        APP + "wait.min", "soon"));
    assertNull(TemplateBinder.bind(view));
    assertEquals(List.of(
        new ConfigProblem(APP + "source", null, "a file path"),
        new ConfigProblem(APP + "perms", "0999", "octal mode like 0640"),
        new ConfigProblem(APP + "wait.min", "soon", "a duration like 500ms, 2s, 1m; a bare number is ms"),
        new ConfigProblem(APP + "backup", "yes", "true or false")), view.problems());
  }

  @Test
  void typosAreLeftToTheCatalogWhichSuggestsTheKnownKey() {
    Map<String, String> values = Map.of(APP + "source", "a.template", APP + "target", "a", APP + "sauce", "x");
    assertEquals(1, bind(values).size());
    assertEquals(List.of(new ConfigProblem(APP + "sauce", "x", "a known key; did you mean " + APP + "source?")),
        CATALOG.unknownKeys(values));
  }

  @Test
  void rejectsWaitMaxBelowWaitMinOnTheWaitMaxKey() {
    ConfigView view = ConfigView.of(Map.of(
        APP + "source", "a.template", APP + "target", "a", APP + "wait.min", "2s", APP + "wait.max", "1s"));
    assertNull(TemplateBinder.bind(view));
    assertEquals(List.of(new ConfigProblem(APP + "wait.max", "1000ms", ">= wait.min 2000ms")), view.problems());
  }

  @Test
  void rejectsNamesThatCannotBeMetricTags() {
    InvalidValueException e = assertThrows(InvalidValueException.class,
        () -> TemplateConfig.of("a b", Path.of("s"), Path.of("t")));
    assertEquals("name", e.field());
    assertEquals("a b", e.value());
  }

  @Test
  void rejectsTargetEqualToSource() {
    InvalidValueException e = assertThrows(InvalidValueException.class,
        () -> TemplateConfig.of("a", Path.of("/x/f"), Path.of("/x/../x/f")));
    assertEquals("target", e.field());
  }

  @Test
  void rejectsZeroCommandTimeout() {
    InvalidValueException e = assertThrows(InvalidValueException.class,
        () -> TemplateConfig.of("a", Path.of("s"), Path.of("t")).withCommand("true", Duration.ZERO));
    assertEquals("commandTimeout: 0ms (expected: > 0)", e.getMessage());
  }

  @Test
  void parsesPermsWithOrWithoutLeadingZero() {
    assertEquals(PosixFilePermissions.fromString("rwxr-x---"), TemplateConfig.parsePerms("750"));
    assertEquals(PosixFilePermissions.fromString("rw-------"), TemplateConfig.parsePerms("0600"));
  }

  @Test
  void bindsNothingWithoutTemplateKeys() {
    assertEquals(List.of(), bind(Map.of("shadowcar.proxy.port", "7000")));
  }
}
