package io.shadowcar.launcher.fleet;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import io.shadowcar.common.config.SettingCatalog;
import io.shadowcar.dashboard.DashboardSettings;
import io.shadowcar.dashboard.DiffSettings;
import io.shadowcar.launcher.config.LauncherSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The {@code --config FILE} of a fleet command: a properties file of {@code shadowcar.diff.*} keys (the same keys and
 * defaults as the sidecar's diff), {@code shadowcar.mask.*} (give a worker the sidecars' mask key, so the headers
 * it masks compare with theirs) and, for the dashboard, {@code shadowcar.admin.allowedHosts} (the names its page is
 * opened under) and {@code shadowcar.admin.tls.*} (HTTPS on its port, as on a sidecar's admin port). Other {@code shadowcar.*} keys are refused with "did you mean", like the sidecar
 * refuses unknown keys; keys outside {@code shadowcar.} are ignored. Read once at start.
 */
final class FleetConfigFile {

  private static final SettingCatalog DIFF_KEYS = new SettingCatalog(diffSettings());

  private FleetConfigFile() {}

  /** The file's view (an empty one without a file); problems (unreadable file, unknown keys) are in the view. */
  static ConfigView read(Optional<Path> file) {
    Map<String, String> values = new TreeMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    if (file.isPresent()) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        problems.add(new ConfigProblem("--config", file.get().toString(), "a readable properties file"));
      }
      properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
      problems.addAll(DIFF_KEYS.unknownKeys(values));
    }
    ConfigView view = ConfigView.of(values);
    problems.forEach(view::problem);
    return view;
  }

  private static List<Setting<?>> diffSettings() {
    List<Setting<?>> all = new ArrayList<>(DiffSettings.all());
    all.addAll(DashboardSettings.all());
    all.addAll(List.of(LauncherSettings.MASK_HEADERS, LauncherSettings.MASK_KEY, LauncherSettings.MASK_KEY_FILE,
        LauncherSettings.ADMIN_ALLOWED_HOSTS));
    all.addAll(LauncherSettings.ADMIN_TLS.all());
    return all;
  }
}
