package io.shadowcar.diff;

import io.shadowcar.common.config.InvalidValueException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What to leave out of a comparison. Immutable; a global set and one per endpoint are merged with {@link #merge}.
 *
 * <p>Path patterns use the {@link Difference} path scheme; {@code *} matches any run of characters inside one
 * segment (not {@code .} or {@code [}), {@code [*]} any index, and a pattern that matches a leading part of a path
 * covers everything beneath it: {@code body.meta.*} and {@code body.meta} both hide {@code body.meta.a.b}.
 *
 * @param ignoredPaths differences at these paths are counted as ignored, not as differences
 * @param ignoredHeaders header names (case-insensitive, {@code *} allowed: {@code X-B3-*}) whose differences are
 *     ignored
 * @param valueIgnoredHeaders headers compared for presence only: a changed value is ignored, a missing or extra
 *     header is not
 * @param setPaths array paths compared as sets: order never matters there and no ORDER_ONLY is reported
 */
public record DiffRules(
    List<String> ignoredPaths, List<String> ignoredHeaders, List<String> valueIgnoredHeaders, List<String> setPaths) {

  /** Volatile, per-instance and tracing headers. */
  public static final List<String> DEFAULT_IGNORED_HEADERS = List.of(
      "Date", "Server", "X-Request-Id", "Content-Length", "Age", "Expires", "ETag",
      "traceparent", "tracestate", "X-B3-*", "X-Amzn-Trace-Id", "X-Cloud-Trace-Context", "uber-trace-id");

  public static final List<String> DEFAULT_VALUE_IGNORED_HEADERS = List.of("Set-Cookie");

  public DiffRules {
    ignoredPaths = checked("ignoredPaths", ignoredPaths);
    ignoredHeaders = checked("ignoredHeaders", ignoredHeaders);
    valueIgnoredHeaders = checked("valueIgnoredHeaders", valueIgnoredHeaders);
    setPaths = checked("setPaths", setPaths);
  }

  /** The default headers ignored, nothing else. */
  public static DiffRules defaults() {
    return new DiffRules(List.of(), DEFAULT_IGNORED_HEADERS, DEFAULT_VALUE_IGNORED_HEADERS, List.of());
  }

  /** No rule at all: every difference counts. */
  public static DiffRules none() {
    return new DiffRules(List.of(), List.of(), List.of(), List.of());
  }

  /** This set plus {@code more} (union, this set's entries first, duplicates dropped). */
  public DiffRules merge(DiffRules more) {
    return new DiffRules(union(ignoredPaths, more.ignoredPaths), union(ignoredHeaders, more.ignoredHeaders),
        union(valueIgnoredHeaders, more.valueIgnoredHeaders), union(setPaths, more.setPaths));
  }

  public DiffRules withIgnoredPaths(List<String> paths) {
    return new DiffRules(paths, ignoredHeaders, valueIgnoredHeaders, setPaths);
  }

  public DiffRules withSetPaths(List<String> paths) {
    return new DiffRules(ignoredPaths, ignoredHeaders, valueIgnoredHeaders, paths);
  }

  private static List<String> union(List<String> a, List<String> b) {
    LinkedHashSet<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return new ArrayList<>(all);
  }

  private static List<String> checked(String field, List<String> values) {
    Objects.requireNonNull(values, field);
    for (String v : values) {
      if (v == null || v.isBlank()) {
        throw new InvalidValueException(field, values, "no blank entry");
      }
    }
    return List.copyOf(values);
  }
}
