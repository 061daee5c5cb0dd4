package io.shadowcar.dashboard;

import io.shadowcar.common.config.InvalidValueException;
import java.util.Locale;
import java.util.Objects;

/**
 * An ignore rule added from the dashboard: differences at a field path (or of a header) are counted as ignored from
 * then on. Kept in the store, so it outlives a restart; removable.
 *
 * @param kind PATH: {@code pattern} is a field path pattern ({@code body.meta.*}, {@code status}); HEADER: a header
 *     name ({@code X-Trace}, {@code X-B3-*})
 * @param endpoint the endpoint key it applies to, or null for every endpoint
 */
public record IgnoreRule(long id, Kind kind, String pattern, String endpoint, long createdAtMillis) {

  /** What the pattern names. */
  public enum Kind {
    PATH,
    HEADER;

    public static Kind parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new InvalidValueException("kind", text, "path or header");
      }
    }
  }

  public IgnoreRule {
    Objects.requireNonNull(kind, "kind");
    InvalidValueException.check(pattern != null && !pattern.isBlank() && pattern.length() <= 500, "pattern",
        pattern, "1-500 characters");
    pattern = pattern.trim();
    endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint;
  }

  IgnoreRule withId(long newId) {
    return new IgnoreRule(newId, kind, pattern, endpoint, createdAtMillis);
  }
}
