package io.shadowcar.launcher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shadowcar.common.config.Setting;
import io.shadowcar.common.config.SettingCatalog;
import io.shadowcar.dashboard.DiffSettings;
import io.shadowcar.launcher.config.KnownSettings;
import io.shadowcar.launcher.config.LauncherSettings;
import io.shadowcar.sink.http.HttpSinkSettings;
import io.shadowcar.tee.TeeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks a deployment's properties against the declared settings: known keys, and runtime-only dynamic files. */
final class ConfigKeys {

  /**
   * What the running sidecar applies without a restart (docs/configuration.md, "What changes at runtime"): the tee
   * router's settings (kill switch, sampling, methods, limits, routes), the static target lists and the diff's
   * policy and comparison rules. Everything else is logged as "takes effect after a restart".
   */
  private static final Set<Setting<?>> RUNTIME = runtime();

  private ConfigKeys() {}

  static void assertAllKnown(String where, Map<String, String> values) {
    SettingCatalog catalog = KnownSettings.catalog();
    assertEquals(List.of(), catalog.unknownKeys(values), where + ": unknown shadowcar.* keys");
  }

  static void assertRuntimeOnly(String where, Map<String, String> values) {
    SettingCatalog catalog = KnownSettings.catalog();
    List<String> restartOnly = values.keySet().stream()
        .filter(key -> catalog.find(key).map(setting -> !RUNTIME.contains(setting)).orElse(true))
        .collect(Collectors.toList());
    assertEquals(List.of(), restartOnly, where + ": keys that need a restart do not belong in a dynamic file");
  }

  private static Set<Setting<?>> runtime() {
    List<Setting<?>> runtime = new ArrayList<>(TeeSettings.all());
    runtime.addAll(DiffSettings.all());
    runtime.add(LauncherSettings.PRIMARY_TARGETS);
    runtime.add(HttpSinkSettings.TARGETS);
    runtime.add(HttpSinkSettings.SECONDARY_TARGETS);
    return Set.copyOf(runtime);
  }
}
