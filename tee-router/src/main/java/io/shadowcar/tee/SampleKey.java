package io.shadowcar.tee;

import java.util.Locale;
import java.util.Objects;

/**
 * What consistent sampling hashes: a header, cookie or query parameter value (e.g. a user or session id), so that all
 * requests carrying the same value get the same decision and one user's whole session is copied.
 *
 * <p>Config form: {@code header:NAME}, {@code cookie:NAME} or {@code query:NAME}. Values are hashed as sent (query
 * values are not decoded). A request without the value falls back to a random draw at the same percent: anonymous
 * traffic stays represented in the copies rather than vanishing from them.
 *
 * @param source where the value is read
 * @param name the header (case-insensitive), cookie or query parameter name (both case-sensitive)
 */
public record SampleKey(Source source, String name) {

  /** Where the sampled value lives. */
  public enum Source { HEADER, COOKIE, QUERY }

  public SampleKey {
    Objects.requireNonNull(source, "source");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "sample.key: name is empty (expected: header:NAME, cookie:NAME or query:NAME)");
    }
  }

  /** Parses {@code header:NAME}, {@code cookie:NAME}, {@code query:NAME}; blank or {@code null} gives {@code null}. */
  public static SampleKey parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    int colon = value.indexOf(':');
    String kind = colon < 0 ? "" : value.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    Source source = switch (kind) {
      case "header" -> Source.HEADER;
      case "cookie" -> Source.COOKIE;
      case "query" -> Source.QUERY;
      default -> throw new IllegalArgumentException(
          "sample.key: " + value + " (expected: header:NAME, cookie:NAME or query:NAME)");
    };
    return new SampleKey(source, value.substring(colon + 1).trim());
  }

  @Override
  public String toString() {
    return source.name().toLowerCase(Locale.ROOT) + ":" + name;
  }
}
