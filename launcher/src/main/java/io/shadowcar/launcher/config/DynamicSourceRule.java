package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.SecretMasker;
import io.shadowcar.common.config.Setting;
import io.shadowcar.common.config.SettingCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A dynamic source (polled file or URL) may set only keys that apply at runtime ({@link Setting#isRuntime()}) and keys
 * outside {@code shadowcar.*} (the service's own, used by templates). Anything else is read at start, so accepting it
 * would let whoever controls the source plant, say, a check's script or a template's command that runs after the
 * next restart. Such a key is a problem like an invalid value: start-up fails, a runtime change is rejected.
 */
final class DynamicSourceRule {

  private DynamicSourceRule() {}

  /**
   * One problem per {@code shadowcar.*} key that a dynamic source sets and that is not a runtime key, e.g.
   * {@code shadowcar.checks.db.script: '/opt/db-check.sh' (expected: set in the --config file: the dynamic source
   * /etc/shadowcar/dynamic.properties may set only runtime keys)}. Unknown keys are left to
   * {@link SettingCatalog#unknownKeys}.
   */
  static List<ConfigProblem> problems(ConfigSnapshot snapshot, SettingCatalog catalog) {
    List<ConfigProblem> problems = new ArrayList<>();
    snapshot.dynamicOrigins().forEach((key, source) -> {
      if (!key.startsWith(SettingCatalog.OWN_PREFIX)) {
        return;
      }
      Optional<Setting<?>> setting = catalog.find(key);
      if (setting.isPresent() && !setting.get().isRuntime()) {
        String value = snapshot.values().getOrDefault(key, "");
        // the problem masks the value itself; the source may be a URL with a password
        problems.add(new ConfigProblem(key, value, "set in the --config file: the dynamic source "
            + SecretMasker.maskValue(source) + " may set only runtime keys"));
      }
    });
    return problems;
  }
}
