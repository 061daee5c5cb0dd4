package io.shadowcar.sink.kafka;

import java.util.Locale;

/**
 * A record that is not a readable {@value ExchangeRecordFormat#FORMAT_V1} exchange. {@link #reason()} is a bounded
 * value, fit for a counter tag; the message says what exactly was wrong, for a log line.
 */
public final class BadRecordException extends Exception {

  /** Why a record was rejected. */
  public enum Reason {
    /** The value is not a JSON object (not UTF-8 JSON at all, or another JSON type). */
    NOT_JSON,
    /** The format header or the {@code v} field names another format (a newer major version, or not ours). */
    UNKNOWN_FORMAT,
    /** A body is not standard Base64. */
    BAD_BASE64,
    /** A required field is absent, null or of the wrong JSON type. */
    MISSING_FIELD;

    /** The lower-case name, as used in counters and summaries ({@code not_json}, ...). */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  public BadRecordException(Reason reason, String detail) {
    super(reason.tag() + ": " + detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
