package io.shadowcar.sink.kafka;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The value of each record the Kafka sink publishes: one request copy and, when known, the primary's response, as a
 * UTF-8 JSON object (format version 1). The record key is the request id; the record timestamp is {@code timestamp};
 * the record header {@value #FORMAT_HEADER} is {@value #FORMAT_V1}.
 *
 * <pre>{@code
 * {"v":1,
 *  "requestId":"...", "timestamp":1732412345678, "route":"default",
 *  "method":"GET", "uri":"/path?query",                 // byte-exact as the caller sent it
 *  "headers":[["Host","svc"],["Accept","text/plain"]],         // the copy's headers, in order, repeated names kept
 *  "body":"<base64>",                                    // standard Base64 with padding, "" when empty
 *  "primary":{"status":200, "headers":[[...]], "body":"<base64>",
 *             "bodyTruncated":false, "bodyBytes":1234, "latencyMicros":5321}   // or null, see primaryError
 *  "primaryError":"failed"|"timeout"|"not_awaited"       // present only when "primary" is null
 * }
 * }</pre>
 *
 * <p>Readers must ignore unknown fields; a breaking change gets a new {@code v} and a new header value. Not a replay
 * format for the primary: the primary's body is the tee's capture, cut at its cap ({@code bodyTruncated}).
 */
public final class ExchangeRecordFormat {

  /** Record header naming the value's format. */
  public static final String FORMAT_HEADER = "shadowcar-format";
  /** {@value #FORMAT_HEADER} of this format. */
  public static final String FORMAT_V1 = "exchange-json-v1";

  private static final JsonFactory JSON = new JsonFactory();

  /** Why a record carries no primary response. */
  public enum PrimaryError {
    /** The primary exchange failed (unreachable, timeout, caller went away). */
    FAILED,
    /** The primary's response was not complete within {@code primaryWait}. */
    TIMEOUT,
    /** The sink is configured not to wait ({@code primaryWait} 0). */
    NOT_AWAITED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private ExchangeRecordFormat() {}

  /**
   * Encodes a copy; exactly one of {@code primary} and {@code primaryError} is non-null. Costs a pass over both
   * bodies: call it off the event loop.
   */
  public static byte[] encode(TeeEvent event, long timestamp, CapturedResponse primary, PrimaryError primaryError) {
    if ((primary == null) == (primaryError == null)) {
      throw new IllegalArgumentException("exactly one of primary and primaryError (got " + primary + ", "
          + primaryError + ")");
    }
    int estimate = 256 + event.body().length() * 4 / 3 + (primary == null ? 0 : primary.body().length() * 4 / 3);
    ByteArrayOutputStream out = new ByteArrayOutputStream(estimate);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("v", 1);
      json.writeStringField("requestId", event.requestId());
      json.writeNumberField("timestamp", timestamp);
      json.writeStringField("route", event.route());
      json.writeStringField("method", event.method().name());
      json.writeStringField("uri", event.uri());
      writeHeaders(json, event.headers());
      writeBody(json, event.body());
      if (primary == null) {
        json.writeNullField("primary");
        json.writeStringField("primaryError", primaryError.tag());
      } else {
        json.writeObjectFieldStart("primary");
        json.writeNumberField("status", primary.statusCode());
        writeHeaders(json, primary.headers());
        writeBody(json, primary.body());
        json.writeBooleanField("bodyTruncated", primary.bodyTruncated());
        json.writeNumberField("bodyBytes", primary.bodyBytesSeen());
        json.writeNumberField("latencyMicros", primary.latency().toNanos() / 1_000);
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding exchange " + event.requestId(), e);
    }
    return out.toByteArray();
  }

  private static void writeHeaders(JsonGenerator json, List<Map.Entry<String, String>> headers) throws IOException {
    json.writeArrayFieldStart("headers");
    for (Map.Entry<String, String> header : headers) {
      json.writeStartArray();
      json.writeString(header.getKey());
      json.writeString(header.getValue());
      json.writeEndArray();
    }
    json.writeEndArray();
  }

  private static void writeBody(JsonGenerator json, Buffer body) throws IOException {
    json.writeFieldName("body");
    byte[] bytes = body.getBytes();
    json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
  }
}
