package io.shadowcar.launcher.config;

import io.shadowcar.common.config.Setting;
import io.shadowcar.common.config.SettingCatalog;
import io.shadowcar.dashboard.DashboardSettings;
import io.shadowcar.dashboard.DiffSettings;
import io.shadowcar.eureka.EurekaSettings;
import io.shadowcar.health.HealthSettings;
import io.shadowcar.proxy.ProxySettings;
import io.shadowcar.sink.ShadowSinkProviders;
import io.shadowcar.templates.TemplateSettings;
import io.shadowcar.tee.TeeSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key this process knows, gathered from each module's declarations (and each sink plugin's): the one place
 * that decides whether a {@code shadowcar.*} key is a typo, and the source of docs/configuration.md's key table.
 */
public final class KnownSettings {

  private static final SettingCatalog CATALOG = new SettingCatalog(collect());

  private KnownSettings() {}

  public static SettingCatalog catalog() {
    return CATALOG;
  }

  /**
   * The lowest configuration layer: each plain key with its declared default (families and pass-throughs have none),
   * so {@code /api/config} shows the effective value of every key and the environment can set each of them.
   */
  public static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (Setting<?> setting : CATALOG.settings()) {
      if (!setting.isFamily() && !setting.isPassThrough() && setting.defaultText() != null) {
        defaults.put(setting.key(), setting.defaultText());
      }
    }
    return Collections.unmodifiableMap(defaults);
  }

  private static List<Setting<?>> collect() {
    List<Setting<?>> all = new ArrayList<>();
    all.addAll(ProxySettings.all());
    all.addAll(LauncherSettings.all());
    all.addAll(TeeSettings.all());
    all.addAll(ShadowSinkProviders.settings());
    all.addAll(HealthSettings.all());
    all.addAll(EurekaSettings.all());
    all.addAll(TemplateSettings.all());
    all.addAll(DashboardSettings.all());
    all.addAll(DiffSettings.all());
    return all;
  }
}
