package io.shadowcar.common.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A typed view of one configuration snapshot, shared by the binders of every module. Reads are declared
 * {@link Setting}s; a bad value records a {@link ConfigProblem} and yields the default, so one pass finds every
 * problem. Call {@link #throwIfInvalid()} before using what was read.
 *
 * <p>Not thread-safe: one binding pass per view. Not for the hot path: modules receive records, never views.
 */
public final class ConfigView {

  private final SortedMap<String, String> values;
  private final boolean readsFiles;
  private final List<ConfigProblem> problems = new ArrayList<>();

  private ConfigView(SortedMap<String, String> values, boolean readsFiles) {
    this.values = values;
    this.readsFiles = readsFiles;
  }

  /** A view of {@code values} (copied) for a start or {@code --check-config}: binders may read the files keys name. */
  public static ConfigView of(Map<String, String> values) {
    return of(values, true);
  }

  /**
   * @param readsFiles whether binders check the contents of files named by keys that only change at a restart (TLS
   *     certificates, CA bundles); false when re-binding a dynamic change, which such a file cannot block (a kill
   *     switch must apply even while a certificate file is being rotated)
   */
  public static ConfigView of(Map<String, String> values, boolean readsFiles) {
    return new ConfigView(Collections.unmodifiableSortedMap(new TreeMap<>(values)), readsFiles);
  }

  /** See {@link #of(Map, boolean)}. */
  public boolean readsFiles() {
    return readsFiles;
  }

  /** Every value, sorted by key. */
  public SortedMap<String, String> values() {
    return values;
  }

  /** The trimmed value of {@code key}, empty when absent or blank. */
  public Optional<String> raw(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** True when {@code setting} has a non-blank value. */
  public boolean isSet(Setting<?> setting) {
    return raw(setting.key()).isPresent();
  }

  /** True when {@code setting} of {@code name} has a non-blank value. */
  public boolean isSet(Setting<?> setting, String name) {
    return raw(setting.key(name)).isPresent();
  }

  /** The value, or the default when unset; on a bad value records a problem and returns the default. */
  public <T> T get(Setting<T> setting) {
    return read(setting, setting.key());
  }

  /** The value of a family member ({@code shadowcar.routes.NAME.path} with {@code name}). */
  public <T> T get(Setting<T> setting, String name) {
    return read(setting, setting.key(name));
  }

  /** The value of a setting without a default, or a {@code missing} problem. */
  public <T> T require(Setting<T> setting) {
    return requireAt(setting, setting.key());
  }

  /** The value of a family member without a default, or a {@code missing} problem. */
  public <T> T require(Setting<T> setting, String name) {
    return requireAt(setting, setting.key(name));
  }

  /**
   * The names used in a family: for {@code shadowcar.routes.} and keys {@code shadowcar.routes.api.path},
   * {@code shadowcar.routes.api.methods} that is {@code [api]}.
   */
  public SortedSet<String> names(String familyPrefix) {
    SortedSet<String> names = new TreeSet<>();
    for (String key : values.tailMap(familyPrefix).keySet()) {
      if (!key.startsWith(familyPrefix)) {
        break;
      }
      int dot = key.indexOf('.', familyPrefix.length());
      if (dot > familyPrefix.length()) {
        names.add(key.substring(familyPrefix.length(), dot));
      }
    }
    return names;
  }

  /** The free-form sub-keys of a {@link Setting#passThrough} declaration, relative to its prefix. */
  public Map<String, String> subKeys(Setting<?> passThrough) {
    String prefix = passThrough.key().substring(0, passThrough.key().length() - 1);
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : values.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.put(e.getKey().substring(prefix.length()), e.getValue());
    }
    return out;
  }

  /** Records a problem found beyond parsing (a cross-key rule); the value is read from {@code key}. */
  public void problem(String key, String expected) {
    problems.add(new ConfigProblem(key, raw(key).orElse(null), expected));
  }

  public void problem(ConfigProblem problem) {
    problems.add(problem);
  }

  /**
   * Builds a module's config record. Its compact constructor reports a bad value with {@link InvalidValueException}
   * naming a field; that becomes a problem on the key {@code fieldKeys} maps the field to (else {@code fallbackKey}).
   *
   * @return the record, or {@code null} after recording a problem ({@link #throwIfInvalid()} keeps it from escaping)
   */
  public <T> T build(Supplier<T> factory, Map<String, String> fieldKeys, String fallbackKey) {
    try {
      return factory.get();
    } catch (InvalidValueException e) {
      String key = fieldKeys.getOrDefault(e.field(), fallbackKey);
      problems.add(new ConfigProblem(key, e.value(), e.expected()));
      return null;
    } catch (IllegalArgumentException | NullPointerException e) {
      problems.add(new ConfigProblem(fallbackKey, raw(fallbackKey).orElse(null), String.valueOf(e.getMessage())));
      return null;
    }
  }

  /** Problems found so far, in the order found. */
  public List<ConfigProblem> problems() {
    return List.copyOf(problems);
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** @throws InvalidConfigException naming every problem found so far */
  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
  }

  private <T> T read(Setting<T> setting, String key) {
    Optional<String> raw = raw(key);
    if (raw.isEmpty()) {
      return setting.defaultValue();
    }
    T value = setting.parse(raw.get());
    if (value == null) {
      problems.add(new ConfigProblem(key, raw.get(), setting.expected()));
      return setting.defaultValue();
    }
    return value;
  }

  private <T> T requireAt(Setting<T> setting, String key) {
    if (raw(key).isEmpty()) {
      problems.add(new ConfigProblem(key, null, setting.expected()));
      return setting.defaultValue();
    }
    return read(setting, key);
  }
}
