package io.shadowcar.dashboard;

import io.shadowcar.diff.DiffConfig;
import io.shadowcar.diff.DiffRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Folds the dashboard's ignore rules into the configured comparison rules. */
final class IgnoreRules {

  private IgnoreRules() {}

  /** {@code base} with every rule added: global ones to its rules, the others to their endpoint's rules. */
  static DiffConfig apply(DiffConfig base, List<IgnoreRule> rules) {
    if (rules.isEmpty()) {
      return base;
    }
    DiffRules global = DiffRules.none();
    Map<String, DiffRules> perEndpoint = new HashMap<>(base.endpointRules());
    for (IgnoreRule r : rules) {
      DiffRules one = r.kind() == IgnoreRule.Kind.PATH
          ? new DiffRules(List.of(r.pattern()), List.of(), List.of(), List.of())
          : new DiffRules(List.of(), List.of(r.pattern()), List.of(), List.of());
      if (r.endpoint() == null) {
        global = global.merge(one);
      } else {
        perEndpoint.merge(r.endpoint(), one, DiffRules::merge);
      }
    }
    return base.withRules(base.rules().merge(global)).withEndpointRules(perEndpoint);
  }
}
