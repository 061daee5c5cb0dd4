package io.shadowcar.sink.kafka;

import io.shadowcar.sink.kafka.BadRecordException.Reason;
import io.shadowcar.sink.kafka.ExchangeRecordFormat.PrimaryError;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads records written by {@link ExchangeRecordFormat} back into {@link RecordedExchange}s, for replay and diff
 * workers. Unknown fields are ignored (a compatible writer may add some); anything else that is not a version-1
 * exchange is rejected with a {@link BadRecordException.Reason}. Parses the whole value at once: call it off any event
 * loop.
 *
 * <p>Not a validator of the sidecar's own guarantees: it does not check that header names are legal HTTP or that the
 * uri is origin-form; a replayer that sends them on finds out from its client.
 */
public final class ExchangeRecordReader {

  private static final Base64.Decoder BASE64 = Base64.getDecoder();

  private ExchangeRecordReader() {}

  /** Reads a consumed record, checking its {@value ExchangeRecordFormat#FORMAT_HEADER} header when present. */
  public static RecordedExchange read(ConsumerRecord<?, byte[]> record) throws BadRecordException {
    Header format = record.headers().lastHeader(ExchangeRecordFormat.FORMAT_HEADER);
    return read(format == null ? null : new String(format.value(), StandardCharsets.UTF_8), record.value());
  }

  /**
   * Reads a record value.
   *
   * @param formatHeader the record's {@value ExchangeRecordFormat#FORMAT_HEADER} header, or {@code null} when it has
   *     none (then only the {@code v} field decides)
   * @param value the record value (UTF-8 JSON); {@code null} (a tombstone) is rejected as {@code not_json}
   */
  public static RecordedExchange read(String formatHeader, byte[] value) throws BadRecordException {
    if (formatHeader != null && !formatHeader.equals(ExchangeRecordFormat.FORMAT_V1)) {
      throw new BadRecordException(Reason.UNKNOWN_FORMAT, "format header '" + formatHeader + "'");
    }
    JsonObject json = parse(value);
    Object version = json.getValue("v");
    if (version == null) {
      throw new BadRecordException(Reason.MISSING_FIELD, "v");
    }
    if (!(version instanceof Number n) || n.doubleValue() != 1) {
      throw new BadRecordException(Reason.UNKNOWN_FORMAT, "v " + version);
    }
    JsonObject primary = optionalObject(json, "primary");
    return new RecordedExchange(
        string(json, "requestId"),
        number(json, "timestamp").longValue(),
        string(json, "route"),
        string(json, "method"),
        string(json, "uri"),
        headers(json, "headers"),
        body(json, "body"),
        primary == null ? Optional.empty() : Optional.of(response(primary)),
        primary == null ? primaryError(json) : Optional.empty());
  }

  private static JsonObject parse(byte[] value) throws BadRecordException {
    if (value == null) {
      throw new BadRecordException(Reason.NOT_JSON, "no value (tombstone)");
    }
    try {
      return new JsonObject(Buffer.buffer(value));
    } catch (DecodeException | ClassCastException e) {
      throw new BadRecordException(Reason.NOT_JSON, firstLine(e.getMessage()));
    }
  }

  private static CapturedResponse response(JsonObject primary) throws BadRecordException {
    Object truncated = primary.getValue("bodyTruncated");
    if (!(truncated instanceof Boolean)) {
      throw new BadRecordException(Reason.MISSING_FIELD, "primary.bodyTruncated");
    }
    return new CapturedResponse(
        number(primary, "status").intValue(),
        headers(primary, "headers"),
        body(primary, "body"),
        (Boolean) truncated,
        number(primary, "bodyBytes").longValue(),
        Duration.ofNanos(number(primary, "latencyMicros").longValue() * 1_000));
  }

  /** A reason this reader does not know (a newer writer's) reads as none rather than failing the record. */
  private static Optional<PrimaryError> primaryError(JsonObject json) {
    if (!(json.getValue("primaryError") instanceof String tag)) {
      return Optional.empty();
    }
    for (PrimaryError error : PrimaryError.values()) {
      if (error.tag().equals(tag.toLowerCase(Locale.ROOT))) {
        return Optional.of(error);
      }
    }
    return Optional.empty();
  }

  private static JsonObject optionalObject(JsonObject json, String field) throws BadRecordException {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw new BadRecordException(Reason.MISSING_FIELD, field + " is not an object");
    }
    return object;
  }

  private static String string(JsonObject json, String field) throws BadRecordException {
    if (!(json.getValue(field) instanceof String s)) {
      throw new BadRecordException(Reason.MISSING_FIELD, field);
    }
    return s;
  }

  private static Number number(JsonObject json, String field) throws BadRecordException {
    if (!(json.getValue(field) instanceof Number n)) {
      throw new BadRecordException(Reason.MISSING_FIELD, field);
    }
    return n;
  }

  private static List<Map.Entry<String, String>> headers(JsonObject json, String field) throws BadRecordException {
    if (!(json.getValue(field) instanceof JsonArray array)) {
      throw new BadRecordException(Reason.MISSING_FIELD, field);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>(array.size());
    for (Object pair : array) {
      if (!(pair instanceof JsonArray nameValue) || nameValue.size() != 2
          || !(nameValue.getValue(0) instanceof String name) || !(nameValue.getValue(1) instanceof String value)) {
        throw new BadRecordException(Reason.MISSING_FIELD, field + " entry is not [name, value]: " + pair);
      }
      headers.add(Map.entry(name, value));
    }
    return headers;
  }

  private static Buffer body(JsonObject json, String field) throws BadRecordException {
    String encoded = string(json, field);
    try {
      return Buffer.buffer(BASE64.decode(encoded));
    } catch (IllegalArgumentException e) {
      throw new BadRecordException(Reason.BAD_BASE64, field + ": " + e.getMessage());
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
