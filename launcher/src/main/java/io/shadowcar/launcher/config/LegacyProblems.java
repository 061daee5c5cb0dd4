package io.shadowcar.launcher.config;

import io.shadowcar.common.config.ConfigProblem;

/** Bridge while binders move to ConfigView: splits an old "'value' (expected: x)" message into its parts. */
final class LegacyProblems {

  private LegacyProblems() {}

  static ConfigProblem of(String key, String message) {
    int open = message.lastIndexOf(" (expected: ");
    if (open < 0 || !message.endsWith(")")) {
      return new ConfigProblem(key, null, message);
    }
    String value = message.substring(0, open);
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.substring(1, value.length() - 1);
    } else if (value.equals("missing")) {
      value = null;
    }
    return new ConfigProblem(key, value, message.substring(open + " (expected: ".length(), message.length() - 1));
  }
}
