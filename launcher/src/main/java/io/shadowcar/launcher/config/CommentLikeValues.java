package io.shadowcar.launcher.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds values that look like they end in a comment ({@code file=/etc/x.properties   # flip here}). Java properties
 * have no end-of-line comments, so such a value silently includes the comment: worth a warning at start.
 */
final class CommentLikeValues {

  private static final Pattern TRAILING_COMMENT = Pattern.compile(".*\\s#.*");

  private CommentLikeValues() {}

  /** The {@code shadowcar.*} keys whose value contains whitespace followed by {@code #}, sorted. */
  static List<String> find(Map<String, String> values) {
    return values.entrySet().stream()
        .filter(e -> e.getKey().startsWith("shadowcar.") && TRAILING_COMMENT.matcher(e.getValue()).matches())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
