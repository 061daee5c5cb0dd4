package io.shadowcar.launcher.filesink;

import io.shadowcar.common.config.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The example sink's one key, on the {@code shadowcar.shadow.<tag>.*} convention. */
public final class FileSinkSettings {

  public static final Setting<Optional<Path>> PATH = Setting.path("shadowcar.shadow.file.path",
      "file each copy is appended to as one JSON line; empty = no file sink");

  private FileSinkSettings() {}

  public static List<Setting<?>> all() {
    return List.of(PATH);
  }
}
