package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.InvalidConfigException;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the configuration in force at start-up: reads the {@code --config} file, layers it with the defaults, the
 * environment and system properties, adds the dynamic sources the static layers name (waiting a bounded time for their
 * first poll), and binds the result.
 */
public final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {}

  /**
   * @param file the {@code --config} file, if any
   * @throws InvalidConfigException naming every bad key (or the unreadable file)
   */
  public static LiveConfig load(Optional<Path> file, MeterRegistry registry) {
    Map<String, String> fileValues = Map.of();
    if (file.isPresent()) {
      try {
        fileValues = PropertiesSourceReader.load(file.get());
      } catch (IOException e) {
        throw new InvalidConfigException(List.of(
            new ConfigProblem("--config", file.get().toString(), "a readable properties file; " + e)));
      }
    }
    CommentLikeValues.find(fileValues).forEach(key -> LOG.warn("{} in {} contains ' #': properties files have no "
        + "end-of-line comments, so the text after '#' is part of the value; put the comment on its own line", key,
        file.get()));
    LayeredConfigSource source = LayeredConfigSource.forProcess(fileValues);
    try {
      source.addDynamic(ConfigBinder.bindDynamicSources(source.snapshot()));
      return new LiveConfig(source, registry);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }
}
