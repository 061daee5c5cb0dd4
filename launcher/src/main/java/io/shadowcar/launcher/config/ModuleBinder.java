package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;

import io.shadowcar.health.HealthConfig;
import io.shadowcar.health.HealthProperties;
import io.shadowcar.templates.TemplateConfig;
import io.shadowcar.templates.TemplateProperties;
import java.util.List;
import java.util.function.Function;

/**
 * Binds the keys whose binders live in their modules ({@code shadowcar.checks.*}, {@code shadowcar.health.*},
 * {@code shadowcar.killswitch.*} by {@link HealthProperties}; {@code shadowcar.templates.*} by
 * {@link TemplateProperties}). Those report every problem as one line each, {@code "full.key: what"}, in one
 * {@link IllegalArgumentException}; each line becomes a {@link ConfigProblem}.
 */
final class ModuleBinder {

  /** Fields of the global thresholds, reported without their key by the health module. */
  private static final java.util.Map<String, String> HEALTH_FIELDS = java.util.Map.of(
      "passesBeforePassing", "shadowcar.health.passesBeforeReady",
      "failuresBeforeWarning", "shadowcar.health.failuresBeforeWarning",
      "failuresBeforeCritical", "shadowcar.health.failuresBeforeCritical");
  private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("([A-Za-z][A-Za-z.]*): (.*)");

  private ModuleBinder() {}

  static HealthConfig health(ConfigReader in) {
    return bind(in, HealthProperties::bind, "shadowcar.checks");
  }

  static List<TemplateConfig> templates(ConfigReader in) {
    return bind(in, TemplateProperties::bind, "shadowcar.templates");
  }

  private static <T> T bind(ConfigReader in, Function<java.util.Map<String, String>, T> binder, String area) {
    try {
      return binder.apply(in.snapshot().values());
    } catch (IllegalArgumentException e) {
      for (String line : String.valueOf(e.getMessage()).split("\n")) {
        in.add(problem(line, area));
      }
      return null;
    }
  }

  /** {@code shadowcar.checks.db: tcp: x (...)} → key {@code shadowcar.checks.db.tcp}; bare fields are mapped. */
  private static ConfigProblem problem(String line, String area) {
    java.util.regex.Matcher m = FIELD.matcher(line);
    if (!m.matches()) {
      return LegacyProblems.of(area, line);
    }
    String key = m.group(1);
    String rest = m.group(2);
    if (!key.startsWith("shadowcar.")) {
      return LegacyProblems.of(HEALTH_FIELDS.getOrDefault(key, area), HEALTH_FIELDS.containsKey(key) ? rest : line);
    }
    java.util.regex.Matcher field = FIELD.matcher(rest);
    if (field.matches() && !field.group(1).contains(" ")) {
      return LegacyProblems.of(key + "." + field.group(1), field.group(2));
    }
    return LegacyProblems.of(key, rest);
  }
}
