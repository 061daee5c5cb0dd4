package io.shadowcar.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A {@link DiffRules} turned into path patterns once, so a comparison only matches strings. */
final class CompiledRules {

  private static final String HEADER = "header.";

  private final List<String> ignoredPaths;
  private final List<String> valueIgnoredPaths;
  private final List<String> setPaths;

  CompiledRules(DiffRules rules) {
    List<String> ignored = new ArrayList<>(rules.ignoredPaths());
    for (String h : rules.ignoredHeaders()) {
      ignored.add(HEADER + h.toLowerCase(Locale.ROOT));
    }
    List<String> valueIgnored = new ArrayList<>();
    for (String h : rules.valueIgnoredHeaders()) {
      valueIgnored.add(HEADER + h.toLowerCase(Locale.ROOT));
    }
    this.ignoredPaths = List.copyOf(ignored);
    this.valueIgnoredPaths = List.copyOf(valueIgnored);
    this.setPaths = rules.setPaths();
  }

  boolean isIgnored(String key, DifferenceKind kind) {
    for (String p : ignoredPaths) {
      if (FieldPaths.covers(p, key)) {
        return true;
      }
    }
    if (kind == DifferenceKind.VALUE_CHANGED) {
      for (String p : valueIgnoredPaths) {
        if (FieldPaths.covers(p, key)) {
          return true;
        }
      }
    }
    return false;
  }

  boolean hasSetPaths() {
    return !setPaths.isEmpty();
  }

  /** True when the array at {@code key} is configured to be compared as a set. */
  boolean isSet(String key) {
    for (String p : setPaths) {
      if (FieldPaths.matchesExactly(p, key)) {
        return true;
      }
    }
    return false;
  }
}
