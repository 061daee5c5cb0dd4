package io.shadowcar.templates;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed {@code *.template}: text with {@code ${key}} and {@code ${key:default}} placeholders.
 *
 * <p>Syntax:
 * <ul>
 *   <li>{@code ${key}}: the key's value; a key with no value is an error ({@link RenderResult#MISSING_KEY}).
 *   <li>{@code ${key:default}}: the value, or {@code default} when the key has none. The default runs to the first
 *       {@code }}, may contain {@code :} and may be empty; it cannot contain {@code ${} (no nesting).
 *   <li>{@code $${}: a literal {@code ${}. Nothing else is an escape: a lone {@code $} or {@code $$} is copied as is.
 *   <li>Keys are letters, digits, {@code .}, {@code _} and {@code -}, with no spaces.
 * </ul>
 * A value set to the empty string counts as a value. Values are inserted verbatim: the template decides quoting.
 * Not for templates that need logic (loops, conditions): this is plain substitution on purpose.
 */
public final class PropertyTemplate {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");

  private sealed interface Segment permits Literal, Placeholder {}

  private record Literal(String text) implements Segment {}

  /** {@code fallback} is null when the placeholder has no default. */
  private record Placeholder(String key, String fallback) implements Segment {}

  private final List<Segment> segments;
  private final Set<String> keys;

  private PropertyTemplate(List<Segment> segments) {
    this.segments = List.copyOf(segments);
    Set<String> used = new LinkedHashSet<>();
    for (Segment s : segments) {
      if (s instanceof Placeholder p) {
        used.add(p.key());
      }
    }
    this.keys = java.util.Collections.unmodifiableSet(used);
  }

  /** Parses template text; the message of a failure names line and column. */
  public static PropertyTemplate parse(String text) throws TemplateException {
    List<Segment> segments = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        literal.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw invalid(text, i, "'${' is never closed by '}' (write '$${' for a literal '${')");
        }
        String body = text.substring(i + 2, end);
        if (body.contains("${")) {
          throw invalid(text, i, "nested '${' in a placeholder (defaults cannot hold placeholders)");
        }
        int colon = body.indexOf(':');
        String key = colon < 0 ? body : body.substring(0, colon);
        if (!KEY.matcher(key).matches()) {
          throw invalid(text, i, "key \"" + key + "\" (expected: letters, digits, '.', '_' or '-')");
        }
        if (literal.length() > 0) {
          segments.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        segments.add(new Placeholder(key, colon < 0 ? null : body.substring(colon + 1)));
        i = end + 1;
      } else {
        literal.append(text.charAt(i));
        i++;
      }
    }
    if (literal.length() > 0) {
      segments.add(new Literal(literal.toString()));
    }
    return new PropertyTemplate(segments);
  }

  /** The keys this template reads, in order of first use. */
  public Set<String> keys() {
    return keys;
  }

  /**
   * Substitutes every placeholder from {@code config}.
   *
   * @throws TemplateException ({@link RenderResult#MISSING_KEY}) naming every key that has no value and no default
   */
  public String render(Map<String, String> config) throws TemplateException {
    StringBuilder out = new StringBuilder();
    Set<String> missing = new LinkedHashSet<>();
    for (Segment s : segments) {
      if (s instanceof Literal l) {
        out.append(l.text());
      } else if (s instanceof Placeholder p) {
        String value = config.get(p.key());
        if (value == null) {
          value = p.fallback();
        }
        if (value == null) {
          missing.add(p.key());
        } else {
          out.append(value);
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new TemplateException(RenderResult.MISSING_KEY,
          "no value and no default for " + String.join(", ", missing));
    }
    return out.toString();
  }

  private static TemplateException invalid(String text, int index, String what) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new TemplateException(RenderResult.INVALID_TEMPLATE, "line " + line + ", column " + column + ": " + what);
  }
}
