package io.shadowcar.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.common.config.Setting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every integer setting has an upper bound: a count or a size that sizes a window, a pool, a queue or a buffer must
 * not take whatever a typo asks for ({@code minimumCalls=100000000} once made an idle sidecar reach 5 GB), and a bound
 * written in the key's {@code expected} text is what {@code --check-config} prints.
 */
class SettingBoundsTest {

  /** Far above any sane count or size, and accepted by an integer setting without a bound of its own. */
  private static final String ABSURD = String.valueOf(Integer.MAX_VALUE);

  @Test
  void everyIntegerSettingInTheCatalogueRejectsAnAbsurdValue() {
    List<String> unbounded = new ArrayList<>();
    int integers = 0;
    for (Setting<?> setting : KnownSettings.catalog().settings()) {
      if (setting.isPassThrough()) {
        continue;
      }
      String key = setting.isFamily() ? setting.key("probe") : setting.key();
      ConfigView view = ConfigView.of(Map.of(key, ABSURD));
      Object value = setting.isFamily() ? view.get(setting, "probe") : view.get(setting);
      boolean integer = setting.defaultValue() instanceof Integer || setting.defaultValue() instanceof Long
          || value instanceof Integer || value instanceof Long;
      if (integer) {
        integers++;
      }
      if (!view.hasProblems() && (value instanceof Integer || value instanceof Long)) {
        unbounded.add(key + " (" + setting.expected() + ")");
      }
    }
    assertTrue(integers >= 30, "the walk found only " + integers + " integer settings: is the catalogue complete?");
    assertEquals(List.of(), unbounded, "integer settings without an upper bound");
  }

  @Test
  void anOversizedBreakerWindowIsOneClearProblem() {
    Map<String, String> values = new HashMap<>(KnownSettings.defaults());
    values.put("shadowcar.primary.targets", "http://127.0.0.1:8081");
    values.put("shadowcar.shadow.targets", "http://127.0.0.1:8082");
    values.put("shadowcar.shadow.breaker.minimumCalls", "100000000");

    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> ConfigBinder.bind(ConfigSnapshot.of(values)));

    assertEquals(List.of("shadowcar.shadow.breaker.minimumCalls: '100000000' (expected: integer 1-10000)"),
        e.problems().stream().map(ConfigProblem::toString).toList());
  }
}
