package io.shadowcar.launcher.config;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SortedSet;

/**
 * The effective configuration at one moment: every key with its raw string value after layering. Immutable, so a
 * reload swaps the whole snapshot and nobody ever sees half of a change.
 *
 * <p>Not for modules: they receive typed, validated records made by {@link ConfigBinder}.
 *
 * @param values every key with its effective value
 * @param dynamicOrigins each key a dynamic source sets (whether or not a higher layer overrides it), with that
 *     source's name; a dynamic source may set only runtime keys
 */
public record ConfigSnapshot(SortedMap<String, String> values, SortedMap<String, String> dynamicOrigins) {

  public ConfigSnapshot {
    values = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(values));
    dynamicOrigins = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dynamicOrigins));
  }

  /** Values from static layers only. */
  public static ConfigSnapshot of(Map<String, String> values) {
    return of(values, Map.of());
  }

  public static ConfigSnapshot of(Map<String, String> values, Map<String, String> dynamicOrigins) {
    return new ConfigSnapshot(new TreeMap<>(values), new TreeMap<>(dynamicOrigins));
  }

  /** The trimmed value, or empty when the key is absent or blank. */
  public Optional<String> get(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /**
   * The distinct names used under a prefix: for {@code shadowcar.routes.} and keys {@code shadowcar.routes.api.path},
   * {@code shadowcar.routes.api.methods} that is {@code [api]}.
   */
  public SortedSet<String> names(String prefix) {
    SortedSet<String> names = new TreeSet<>();
    for (String key : values.tailMap(prefix).keySet()) {
      if (!key.startsWith(prefix)) {
        break;
      }
      int dot = key.indexOf('.', prefix.length());
      if (dot > prefix.length()) {
        names.add(key.substring(prefix.length(), dot));
      }
    }
    return names;
  }
}
