package io.shadowcar.diff;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Structural comparison of two JSON trees. Objects by member (order never matters), arrays by index (same length
 * required, else ARRAY_LENGTH; same elements in another order gives ORDER_ONLY) or as sets where configured,
 * numbers as decimals (optionally within a tolerance), everything else by value.
 */
final class JsonComparer {

  private final DiffCollector out;
  private final BigDecimal absoluteTolerance;
  private final BigDecimal relativeTolerance;
  private final StringBuilder path = new StringBuilder(64);

  JsonComparer(DiffCollector out, BigDecimal absoluteTolerance, BigDecimal relativeTolerance) {
    this.out = out;
    this.absoluteTolerance = absoluteTolerance;
    this.relativeTolerance = relativeTolerance;
  }

  void compare(String root, JsonNode primary, JsonNode candidate) {
    path.setLength(0);
    path.append(root);
    node(primary, candidate);
  }

  private void node(JsonNode a, JsonNode b) {
    JsonNodeType ta = a.getNodeType();
    JsonNodeType tb = b.getNodeType();
    if (ta != tb) {
      out.add(path.toString(), DifferenceKind.TYPE_CHANGED, text(a), text(b));
      return;
    }
    switch (ta) {
      case OBJECT -> object(a, b);
      case ARRAY -> array(a, b);
      case NUMBER -> {
        if (!numbersEqual(a, b)) {
          out.add(path.toString(), DifferenceKind.VALUE_CHANGED, text(a), text(b));
        }
      }
      case STRING -> {
        if (!a.textValue().equals(b.textValue())) {
          out.add(path.toString(), DifferenceKind.VALUE_CHANGED, text(a), text(b));
        }
      }
      case BOOLEAN -> {
        if (a.booleanValue() != b.booleanValue()) {
          out.add(path.toString(), DifferenceKind.VALUE_CHANGED, text(a), text(b));
        }
      }
      default -> {
        if (!a.equals(b)) {
          out.add(path.toString(), DifferenceKind.VALUE_CHANGED, text(a), text(b));
        }
      }
    }
  }

  private void object(JsonNode a, JsonNode b) {
    int len = path.length();
    int missing = 0;
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      FieldPaths.appendMember(path, e.getKey());
      JsonNode other = b.get(e.getKey());
      if (other == null) {
        missing++;
        out.add(path.toString(), DifferenceKind.MISSING, text(e.getValue()), null);
      } else {
        node(e.getValue(), other);
      }
      path.setLength(len);
    }
    if (b.size() > a.size() - missing) {
      for (Map.Entry<String, JsonNode> e : b.properties()) {
        if (!a.has(e.getKey())) {
          FieldPaths.appendMember(path, e.getKey());
          out.add(path.toString(), DifferenceKind.EXTRA, null, text(e.getValue()));
          path.setLength(len);
        }
      }
    }
  }

  private void array(JsonNode a, JsonNode b) {
    if (out.rules.hasSetPaths() && out.rules.isSet(FieldPaths.key(path.toString()))) {
      set(a, b);
      return;
    }
    if (a.size() != b.size()) {
      out.add(path.toString(), DifferenceKind.ARRAY_LENGTH, Integer.toString(a.size()),
          Integer.toString(b.size()));
      return;
    }
    long mark = out.mark();
    int len = path.length();
    for (int i = 0; i < a.size(); i++) {
      path.append('[').append(i).append(']');
      node(a.get(i), b.get(i));
      path.setLength(len);
    }
    if (out.mark() != mark && a.size() > 1 && sameMultiset(a, b)) {
      out.rollback(mark);
      out.add(path.toString(), DifferenceKind.ORDER_ONLY, text(a), text(b));
    }
  }

  /** Elements matched by exact (canonical) value, regardless of order; the unmatched are MISSING / EXTRA. */
  private void set(JsonNode a, JsonNode b) {
    Map<String, ArrayDeque<Integer>> candidates = new HashMap<>();
    for (int j = 0; j < b.size(); j++) {
      candidates.computeIfAbsent(canonical(b.get(j)), k -> new ArrayDeque<>()).add(j);
    }
    int len = path.length();
    for (int i = 0; i < a.size(); i++) {
      ArrayDeque<Integer> match = candidates.get(canonical(a.get(i)));
      if (match == null || match.isEmpty()) {
        path.append('[').append(i).append(']');
        out.add(path.toString(), DifferenceKind.MISSING, text(a.get(i)), null);
        path.setLength(len);
      } else {
        match.poll();
      }
    }
    List<Integer> extra = new ArrayList<>();
    candidates.values().forEach(extra::addAll);
    extra.sort(null);
    for (int j : extra) {
      path.append('[').append(j).append(']');
      out.add(path.toString(), DifferenceKind.EXTRA, null, text(b.get(j)));
      path.setLength(len);
    }
  }

  private static boolean sameMultiset(JsonNode a, JsonNode b) {
    String[] ca = new String[a.size()];
    String[] cb = new String[b.size()];
    for (int i = 0; i < ca.length; i++) {
      ca[i] = canonical(a.get(i));
      cb[i] = canonical(b.get(i));
    }
    Arrays.sort(ca);
    Arrays.sort(cb);
    return Arrays.equals(ca, cb);
  }

  /** A text equal for equal values: members sorted, numbers without trailing zeros. */
  static String canonical(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    canonical(node, sb);
    return sb.toString();
  }

  private static void canonical(JsonNode node, StringBuilder sb) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sb.append('{');
        sorted.forEach((k, v) -> {
          sb.append(DiffCollector.quote(k)).append(':');
          canonical(v, sb);
          sb.append(',');
        });
        sb.append('}');
      }
      case ARRAY -> {
        sb.append('[');
        for (JsonNode e : node) {
          canonical(e, sb);
          sb.append(',');
        }
        sb.append(']');
      }
      case NUMBER -> sb.append(node.decimalValue().stripTrailingZeros().toPlainString());
      default -> sb.append(text(node));
    }
  }

  /**
   * {@code node} as JSON text, the same as {@link JsonNode#toString}: scalars are written here, since
   * {@code toString} sets up one of Jackson's writers for every call, and a difference in a text field of every
   * exchange (an id, a timestamp) made that a tenth of the diff's time.
   */
  static String text(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> {
        char[] escaped = JsonStringEncoder.getInstance().quoteAsString(node.textValue());
        yield new StringBuilder(escaped.length + 2).append('"').append(escaped).append('"').toString();
      }
      // not finite (only when the parser allows NaN): Jackson's writer quotes it
      case NUMBER -> node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) ? node.toString()
          : node.asText();
      case BOOLEAN, NULL -> node.asText();
      default -> node.toString();
    };
  }

  private boolean numbersEqual(JsonNode a, JsonNode b) {
    if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()
        && a.longValue() == b.longValue()) {
      return true;
    }
    BigDecimal x = a.decimalValue();
    BigDecimal y = b.decimalValue();
    if (x.compareTo(y) == 0) {
      return true;
    }
    if (absoluteTolerance.signum() == 0 && relativeTolerance.signum() == 0) {
      return false;
    }
    BigDecimal distance = x.subtract(y).abs();
    if (absoluteTolerance.signum() > 0 && distance.compareTo(absoluteTolerance) <= 0) {
      return true;
    }
    return relativeTolerance.signum() > 0
        && distance.compareTo(relativeTolerance.multiply(x.abs().max(y.abs()))) <= 0;
  }
}
