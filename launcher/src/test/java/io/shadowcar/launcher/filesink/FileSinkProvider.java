package io.shadowcar.launcher.filesink;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import io.shadowcar.sink.ShadowSink;
import io.shadowcar.sink.ShadowSinkProvider;
import io.shadowcar.sink.SinkContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code file} sink, registered only by a line in this test tree's
 * {@code META-INF/services/io.shadowcar.sink.ShadowSinkProvider}: the proof that a sink plugs in without any change to
 * the tee or to the launcher's wiring.
 */
public final class FileSinkProvider implements ShadowSinkProvider<Path> {

  public static final String TAG = "file";

  @Override
  public String tag() {
    return TAG;
  }

  @Override
  public List<Setting<?>> settings() {
    return FileSinkSettings.all();
  }

  @Override
  public Optional<Path> bind(ConfigView view) {
    return view.get(FileSinkSettings.PATH);
  }

  @Override
  public ShadowSink create(Path file, SinkContext context) {
    return new FileShadowSink(file, context);
  }
}
