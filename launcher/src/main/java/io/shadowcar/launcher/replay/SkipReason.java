package io.shadowcar.launcher.replay;

import io.shadowcar.sink.kafka.BadRecordException;
import java.util.Locale;

/** Why a record was read but not replayed; {@link #tag()} is what the summary shows. */
public enum SkipReason {
  /** POST, PUT, PATCH, DELETE or another method that is not safe, without {@code --allow-unsafe}. */
  UNSAFE_METHOD,
  /** Not selected by {@code --route}, {@code --method} or {@code --path}. */
  FILTERED,
  NOT_JSON,
  UNKNOWN_FORMAT,
  BAD_BASE64,
  MISSING_FIELD,
  /** The record carries no primary response to compare with (diff workers only). */
  NO_PRIMARY;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The bad-record reasons, one to one. */
  public static SkipReason of(BadRecordException.Reason reason) {
    return switch (reason) {
      case NOT_JSON -> NOT_JSON;
      case UNKNOWN_FORMAT -> UNKNOWN_FORMAT;
      case BAD_BASE64 -> BAD_BASE64;
      case MISSING_FIELD -> MISSING_FIELD;
    };
  }
}
