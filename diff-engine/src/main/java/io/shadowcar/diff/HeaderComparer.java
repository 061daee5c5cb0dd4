package io.shadowcar.diff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Headers by lowercase name at {@code header.<name>}; repeated lines of one name are joined with {@code ", "} in
 * their order, so a reordering of lines of the same name is a difference, a reordering of names is not.
 */
final class HeaderComparer {

  private HeaderComparer() {
  }

  static void compare(List<HttpHeader> primary, List<HttpHeader> candidate, DiffCollector out) {
    Map<String, String> a = joined(primary);
    Map<String, String> b = joined(candidate);
    for (Map.Entry<String, String> e : a.entrySet()) {
      String other = b.get(e.getKey());
      if (other == null) {
        out.add("header." + e.getKey(), DifferenceKind.MISSING, DiffCollector.quote(e.getValue()), null);
      } else if (!other.equals(e.getValue())) {
        out.add("header." + e.getKey(), DifferenceKind.VALUE_CHANGED, DiffCollector.quote(e.getValue()),
            DiffCollector.quote(other));
      }
    }
    for (Map.Entry<String, String> e : b.entrySet()) {
      if (!a.containsKey(e.getKey())) {
        out.add("header." + e.getKey(), DifferenceKind.EXTRA, null, DiffCollector.quote(e.getValue()));
      }
    }
  }

  private static Map<String, String> joined(List<HttpHeader> headers) {
    Map<String, String> out = new LinkedHashMap<>(headers.size() * 2);
    for (HttpHeader h : headers) {
      out.merge(h.name().toLowerCase(Locale.ROOT), h.value(), (x, y) -> x + ", " + y);
    }
    return out;
  }
}
