package io.shadowcar.common.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Every declared {@link Setting} of the process, gathered by the launcher from each module (and each sink plugin).
 * It answers two questions: is a key known (exactly, as a member of a {@code NAME} family, or under a pass-through
 * prefix), and, for an unknown one, which known key was probably meant.
 *
 * <p>Immutable and thread-safe.
 */
public final class SettingCatalog {

  /** Keys under this prefix are ours: an unknown one is an error. Others (a service's own keys) are left alone. */
  public static final String OWN_PREFIX = "shadowcar.";

  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private final List<Setting<?>> settings;
  private final Map<String, Setting<?>> exact = new LinkedHashMap<>();

  public SettingCatalog(Collection<? extends Setting<?>> settings) {
    this.settings = List.copyOf(settings);
    for (Setting<?> setting : this.settings) {
      Setting<?> previous = exact.put(setting.key(), setting);
      if (previous != null) {
        throw new IllegalArgumentException("settings: " + setting.key() + " declared twice (expected: once)");
      }
    }
  }

  /** Every declaration, in the order given. */
  public List<Setting<?>> settings() {
    return settings;
  }

  /** The declaration a key belongs to, if any. */
  public Optional<Setting<?>> find(String key) {
    Setting<?> direct = exact.get(key);
    if (direct != null) {
      return Optional.of(direct);
    }
    for (Setting<?> setting : settings) {
      if (matches(setting.key(), key)) {
        return Optional.of(setting);
      }
    }
    return Optional.empty();
  }

  public boolean isKnown(String key) {
    return find(key).isPresent();
  }

  /**
   * One problem per unknown {@code shadowcar.*} key in {@code values}, each with a "did you mean" when a known key is
   * close (edit distance), e.g. {@code shadowcar.shadow.sampel.percent: '10' (expected: a known key; did you mean
   * shadowcar.shadow.sample.percent?)}.
   */
  public List<ConfigProblem> unknownKeys(Map<String, String> values) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(OWN_PREFIX) && !isKnown(key)) {
        String expected = suggestion(key).map(s -> "a known key; did you mean " + s + "?")
            .orElse("a known key; see docs/configuration.md");
        problems.add(new ConfigProblem(key, entry.getValue(), expected));
      }
    }
    return problems;
  }

  /** The closest known key, when it is close enough to be a typo. */
  public Optional<String> suggestion(String unknown) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Setting<?> setting : settings) {
      String candidate = concrete(setting.key(), unknown);
      int distance = DISTANCE.apply(candidate, unknown);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    int allowed = Math.max(2, unknown.length() / 6);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** {@code pattern} with its NAME segment (and pass-through tail) filled from {@code key} where they line up. */
  private static String concrete(String pattern, String key) {
    String[] p = pattern.split("\\.", -1);
    String[] k = key.split("\\.", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < p.length; i++) {
      String segment = p[i];
      if (segment.equals(Setting.NAME) && i < k.length) {
        segment = k[i];
      } else if (segment.equals("*") && i == p.length - 1) {
        segment = i < k.length ? String.join(".", java.util.Arrays.copyOfRange(k, i, k.length)) : "*";
      }
      if (i > 0) {
        out.append('.');
      }
      out.append(segment);
    }
    return out.toString();
  }

  /** Segment-wise match: {@code NAME} matches one non-empty segment; a final {@code *} one or more. */
  static boolean matches(String pattern, String key) {
    String[] p = pattern.split("\\.", -1);
    String[] k = key.split("\\.", -1);
    boolean tail = p[p.length - 1].equals("*");
    if (tail ? k.length < p.length : k.length != p.length) {
      return false;
    }
    int fixed = tail ? p.length - 1 : p.length;
    for (int i = 0; i < fixed; i++) {
      if (p[i].equals(Setting.NAME) ? k[i].isEmpty() : !p[i].equals(k[i])) {
        return false;
      }
    }
    return true;
  }
}
