package io.shadowcar.templates;

import static io.shadowcar.templates.TemplateSettings.*;

import io.shadowcar.common.config.ConfigView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the {@code shadowcar.templates.NAME.*} family ({@link TemplateSettings}) from a {@link ConfigView} to
 * {@link TemplateConfig} records, recording every problem in the view on its exact key. Meant for the launcher
 * (start-up and {@code --check-config}); the renderer itself never reads keys.
 */
public final class TemplateBinder {

  private TemplateBinder() {}

  /** Every template defined, in name order; {@code null} after recording problems in {@code view}. */
  public static List<TemplateConfig> bind(ConfigView view) {
    int problemsBefore = view.problems().size();
    List<TemplateConfig> templates = new ArrayList<>();
    for (String name : view.names(TEMPLATES)) {
      TemplateConfig template = bindOne(view, name);
      if (template != null) {
        templates.add(template);
      }
    }
    return view.problems().size() > problemsBefore ? null : List.copyOf(templates);
  }

  private static TemplateConfig bindOne(ConfigView view, String name) {
    Path source = view.require(SOURCE, name);
    Path target = view.require(TARGET, name);
    // Blank means "none", so a higher config layer can switch a command or perms off again.
    Optional<String> command = Optional.ofNullable(view.get(COMMAND, name));
    var perms = view.get(PERMS, name);
    Duration waitMin = view.get(WAIT_MIN, name);
    Duration waitMax = view.get(WAIT_MAX, name);
    Duration commandTimeout = view.get(COMMAND_TIMEOUT, name);
    boolean backup = view.get(BACKUP, name);
    boolean inPlace = view.get(IN_PLACE_FALLBACK, name);
    if (source == null || target == null) {
      return null;
    }
    return view.build(() -> new TemplateConfig(name, source, target, command, perms, waitMin,
            waitMax != null ? waitMax : TemplateConfig.defaultWaitMax(waitMin), backup, commandTimeout, inPlace),
        Map.of("name", SOURCE.key(name), "source", SOURCE.key(name), "target", TARGET.key(name),
            "command", COMMAND.key(name), "perms", PERMS.key(name), "waitMin", WAIT_MIN.key(name),
            "waitMax", WAIT_MAX.key(name), "commandTimeout", COMMAND_TIMEOUT.key(name)), SOURCE.key(name));
  }
}
