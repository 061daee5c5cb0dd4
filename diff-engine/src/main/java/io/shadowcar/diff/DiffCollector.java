package io.shadowcar.diff;

import java.util.ArrayList;
import java.util.List;

/** Collects the differences of one pair of responses, sorting each into kept or ignored by the rules. */
final class DiffCollector {

  final CompiledRules rules;
  final int maxValueChars;
  final List<Difference> differences = new ArrayList<>();
  final List<Difference> ignored = new ArrayList<>();
  BodyMode bodyMode = BodyMode.EMPTY;
  boolean truncated;
  int differingLines;

  DiffCollector(CompiledRules rules, int maxValueChars) {
    this.rules = rules;
    this.maxValueChars = maxValueChars;
  }

  void add(String path, DifferenceKind kind, String primary, String candidate) {
    Difference d = new Difference(path, kind, cut(primary), cut(candidate));
    (rules.isIgnored(d.key(), kind) ? ignored : differences).add(d);
  }

  /** A position to roll back to, see {@link #rollback}. */
  long mark() {
    return ((long) differences.size() << 32) | ignored.size();
  }

  void rollback(long mark) {
    truncate(differences, (int) (mark >>> 32));
    truncate(ignored, (int) mark);
  }

  private static void truncate(List<Difference> list, int size) {
    while (list.size() > size) {
      list.remove(list.size() - 1);
    }
  }

  private String cut(String value) {
    if (value == null || value.length() <= maxValueChars) {
      return value;
    }
    int end = maxValueChars - 1;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, end) + '…';
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
