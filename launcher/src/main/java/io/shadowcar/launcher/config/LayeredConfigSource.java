package io.shadowcar.launcher.config;

import io.shadowcar.common.config.SecretMasker;
import io.shadowcar.common.config.SettingCatalog;

import com.netflix.archaius.Layers;
import com.netflix.archaius.api.Config;
import com.netflix.archaius.api.ConfigListener;
import com.netflix.archaius.api.config.PollingStrategy;
import com.netflix.archaius.config.DefaultLayeredConfig;
import com.netflix.archaius.config.MapConfig;
import com.netflix.archaius.config.PollingDynamicConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Archaius 2 layered configuration, lowest first: built-in defaults &lt; {@code --config} file &lt; dynamic
 * sources (polled file / URL) &lt; environment &lt; system properties. It only produces raw {@link ConfigSnapshot}s
 * and says when something changed; validation is {@link ConfigBinder}'s job. Each snapshot also names the keys the
 * dynamic sources set ({@link ConfigSnapshot#dynamicOrigins()}), since those may set only runtime keys.
 *
 * <p>Environment variables are the upper-case, underscore form of a key ({@code SHADOWCAR_SHADOW_ENABLED}); they apply
 * to keys that have a default or appear in the file. System properties apply to {@code shadowcar.*} keys and to any
 * key of a lower layer.
 */
public final class LayeredConfigSource implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LayeredConfigSource.class);

  private final DefaultLayeredConfig layers = new DefaultLayeredConfig("shadowcar");
  private final List<PollingStrategy> pollers = new ArrayList<>();
  /** The dynamic layers with their sources' names; read by the poller threads. */
  private final List<Map.Entry<String, Config>> dynamicLayers = new CopyOnWriteArrayList<>();

  /**
   * The static layers.
   *
   * @param file the {@code --config} file's properties (empty when none)
   * @param environment the process environment
   * @param systemProperties the JVM's system properties
   */
  public LayeredConfigSource(
      Map<String, String> file, Map<String, String> environment, Map<String, String> systemProperties) {
    layers.addConfig(Layers.DEFAULT, new MapConfig("defaults", KnownSettings.defaults()));
    layers.addConfig(Layers.APPLICATION, new MapConfig("file", file));
    Set<String> known = new HashSet<>(KnownSettings.defaults().keySet());
    known.addAll(file.keySet());
    known.add(LauncherSettings.PRIMARY_TARGETS.key());
    Map<String, String> fromEnv = new HashMap<>();
    for (String key : known) {
      String value = environment.get(environmentName(key));
      if (value != null) {
        fromEnv.put(key, value);
      }
    }
    layers.addConfig(Layers.ENVIRONMENT, new MapConfig("environment", fromEnv));
    Map<String, String> fromSystem = new HashMap<>();
    systemProperties.forEach((key, value) -> {
      if (key.startsWith(SettingCatalog.OWN_PREFIX) || known.contains(key)) {
        fromSystem.put(key, value);
      }
    });
    layers.addConfig(Layers.SYSTEM, new MapConfig("system", fromSystem));
  }

  /**
   * The environment variable that sets a key: upper case, dots to underscores
   * ({@code shadowcar.shadow.maxInflight} → {@code SHADOWCAR_SHADOW_MAXINFLIGHT}).
   */
  static String environmentName(String key) {
    return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }

  /** The process's own environment and system properties over {@code file}. */
  public static LayeredConfigSource forProcess(Map<String, String> file) {
    Map<String, String> system = new HashMap<>();
    System.getProperties().stringPropertyNames().forEach(k -> system.put(k, System.getProperty(k)));
    return new LayeredConfigSource(file, System.getenv(), system);
  }

  /**
   * Adds the dynamic sources between the file and the environment. Returns after each source's first poll, or after
   * its {@link DynamicSources#firstPollTimeout()}, whichever comes first.
   */
  public void addDynamic(DynamicSources sources) {
    sources.file().ifPresent(file -> addPolled("dynamic-file", PropertiesSourceReader.file(file), sources));
    sources.url().ifPresent(url ->
        addPolled("dynamic-url", PropertiesSourceReader.url(url, sources.firstPollTimeout()), sources));
  }

  private void addPolled(String name, PropertiesSourceReader reader, DynamicSources sources) {
    PollingStrategy strategy = new BoundedFirstPollStrategy(reader.toString(), sources.poll(), sources.firstPollTimeout());
    pollers.add(strategy);
    PollingDynamicConfig polled = new PollingDynamicConfig(reader, strategy);
    // the URL layer wins over the file layer: it is usually the central one
    dynamicLayers.add(Map.entry(reader.toString(), polled)); // before its values can show in a snapshot
    layers.addConfig(Layers.REMOTE, polled, name.equals("dynamic-url") ? 1 : 0);
    LOG.info("dynamic config {} polled every {} s", SecretMasker.maskValue(reader.toString()),
        sources.poll().toSeconds());
  }

  /** The effective values now, and which keys the dynamic sources set. */
  public ConfigSnapshot snapshot() {
    Map<String, String> dynamicOrigins = new HashMap<>();
    addDynamicOrigins(dynamicOrigins);
    Map<String, String> values = new HashMap<>();
    for (Iterator<String> keys = layers.getKeys(); keys.hasNext(); ) {
      String key = keys.next();
      Object raw = layers.getRawProperty(key);
      if (raw != null) {
        values.put(key, raw.toString());
      }
    }
    addDynamicOrigins(dynamicOrigins); // again: a poll may have added a key while the values were read
    return ConfigSnapshot.of(values, dynamicOrigins);
  }

  private void addDynamicOrigins(Map<String, String> origins) {
    for (Map.Entry<String, Config> layer : dynamicLayers) {
      layer.getValue().keys().forEach(key -> origins.put(key, layer.getKey()));
    }
  }

  /**
   * Calls {@code listener} on the poller thread whenever a dynamic source delivered values (possibly unchanged ones:
   * compare snapshots). Poll failures are logged here; the previous values stay.
   */
  public void onChange(Runnable listener) {
    layers.addListener(new ConfigListener() {
      @Override
      public void onConfigAdded(Config config) {
        listener.run();
      }

      @Override
      public void onConfigRemoved(Config config) {
        listener.run();
      }

      @Override
      public void onConfigUpdated(Config config) {
        listener.run();
      }

      @Override
      public void onError(Throwable error, Config config) {
        LOG.warn("dynamic config {} could not be read, keeping its previous values: {}", config.getName(),
            error.toString());
      }
    });
  }

  @Override
  public void close() {
    pollers.forEach(PollingStrategy::shutdown);
  }
}
