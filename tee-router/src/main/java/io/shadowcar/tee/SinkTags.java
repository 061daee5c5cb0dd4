package io.shadowcar.tee;

import io.shadowcar.common.config.InvalidValueException;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sink tags as the router sees them: opaque names ({@code http}, {@code kafka}, a plugin's own) that select sinks and
 * tag metrics. Only their shape is checked here, since they become metric tag values; which tags exist is the
 * launcher's business.
 */
final class SinkTags {

  private static final Pattern TAG = Pattern.compile("[a-z][a-z0-9_-]*");

  private SinkTags() {}

  static Set<String> check(String field, Collection<String> tags) {
    for (String tag : tags) {
      InvalidValueException.check(tag != null && TAG.matcher(tag).matches(), field, tag,
          "sink tags: lower-case letters, digits, '_' or '-'");
    }
    return Set.copyOf(tags);
  }
}
