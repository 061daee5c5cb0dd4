package io.shadowcar.diff;

import java.util.Objects;

/**
 * One difference at one field path.
 *
 * <p>Paths: {@code status}; {@code header.<lowercase-name>}; {@code body} for a whole body (binary, empty vs
 * non-empty, root type); {@code body.<json path>} with {@code .name} for object members and {@code [i]} for array
 * elements (a member whose name holds {@code .}, {@code [} or {@code ]}, or is empty, is written {@code ["name"]});
 * {@code body.form.<key>} for form fields; {@code body.line[n]} (1-based) for text lines; {@code body.length} when a
 * complete body is shorter than the other side's truncated capture. {@link #key()} replaces every index with
 * {@code [*]}: it is what counters and rules use.
 *
 * @param primary the primary's value rendered as JSON text ({@code "a"} with quotes, {@code 1}, {@code null}), or
 *     null when the field is absent there (MISSING / EXTRA); long values are cut with {@code …}
 * @param candidate the candidate's value, same rendering
 */
public record Difference(String path, DifferenceKind kind, String primary, String candidate) {

  public Difference {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }

  /** The aggregate key: the path with each concrete index {@code [3]} written {@code [*]}. */
  public String key() {
    return FieldPaths.key(path);
  }
}
