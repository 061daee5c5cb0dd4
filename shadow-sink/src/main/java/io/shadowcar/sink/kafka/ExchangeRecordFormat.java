package io.shadowcar.sink.kafka;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shadowcar.common.headers.HeaderMask;
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
 *
 * <p><b>Size.</b> Base64 writes {@code n} body bytes as {@code 4·⌈n/3⌉} characters, and the producer refuses a record
 * whose estimated size is over its {@code max.request.size}. {@link #maxBodyBytes(int, int)} says how large a request
 * body still fits; {@link #recordBytes} is the producer's estimate, so the two agree to the byte.
 */
public final class ExchangeRecordFormat {

  /** Record header naming the value's format. */
  public static final String FORMAT_HEADER = "shadowcar-format";
  /** {@value #FORMAT_HEADER} of this format. */
  public static final String FORMAT_V1 = "exchange-json-v1";

  /**
   * JSON of a record besides its two bodies that {@link #maxBodyBytes(int, int)} allows for: the fixed fields (about
   * 230 bytes), the id, route and uri, and about 1.5 KiB of request and response headers together.
   */
  public static final int ASSUMED_JSON_BYTES = 2048;
  /** Record key (the request id) that {@link #maxBodyBytes(int, int)} allows for. */
  public static final int ASSUMED_KEY_BYTES = 64;

  private static final JsonFactory JSON = new JsonFactory();
  /** Kafka's batch header (61) and a record's largest fixed overhead (21), as the producer estimates them. */
  private static final int KAFKA_OVERHEAD_BYTES = 61 + 21;
  /** The header count, then the format header's name and value, each after its length. */
  private static final int FORMAT_HEADER_BYTES = varintBytes(1) + varintBytes(FORMAT_HEADER.length())
      + FORMAT_HEADER.length() + varintBytes(FORMAT_V1.length()) + FORMAT_V1.length();

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
   * The largest request body whose record still fits {@code maxRequestBytes} when the primary's body is a full
   * {@code maxCapturedResponseBytes} sample, and the rest of the record is within {@link #ASSUMED_JSON_BYTES} and
   * {@link #ASSUMED_KEY_BYTES}: the figure the sink states at start-up. Pass 0 for a sink that does not wait for the
   * primary's response.
   *
   * @return bytes, or -1 when not even an empty body fits
   */
  public static int maxBodyBytes(int maxRequestBytes, int maxCapturedResponseBytes) {
    return maxBodyBytes(maxRequestBytes, maxCapturedResponseBytes, ASSUMED_JSON_BYTES, ASSUMED_KEY_BYTES);
  }

  /**
   * The largest request body whose record fits {@code maxRequestBytes}, exactly, for one record shape.
   *
   * @param primaryBodyBytes the primary's body as kept in the record (0 when there is none)
   * @param jsonBytes the record value with both bodies empty (field names, punctuation, id, uri, headers, numbers)
   * @param keyBytes the record key (the request id, UTF-8)
   * @return bytes, or -1 when not even an empty body fits
   */
  public static int maxBodyBytes(int maxRequestBytes, int primaryBodyBytes, int jsonBytes, int keyBytes) {
    long fixed = jsonBytes + base64Bytes(primaryBodyBytes);
    // The size grows with the body in steps of 4 per 3 bytes, and the length prefix with it: search, do not solve.
    long fits = -1;
    long over = maxRequestBytes + 1L;
    while (over - fits > 1) {
      long body = (fits + over) >>> 1;
      if (recordBytes(fixed + base64Bytes(body), keyBytes) <= maxRequestBytes) {
        fits = body;
      } else {
        over = body;
      }
    }
    return (int) fits;
  }

  /**
   * The size the producer checks against {@code max.request.size} for one of these records (its upper-bound estimate
   * of a one-record batch, compression not counted): value, key, the format header, their length prefixes and Kafka's
   * overhead.
   */
  public static long recordBytes(long valueBytes, int keyBytes) {
    return KAFKA_OVERHEAD_BYTES + varintBytes(keyBytes) + keyBytes + varintBytes(valueBytes) + valueBytes
        + FORMAT_HEADER_BYTES;
  }

  /** Standard Base64 with padding: {@code 4·⌈n/3⌉}. */
  static long base64Bytes(long n) {
    return 4 * ((n + 2) / 3);
  }

  /** Kafka's length prefixes are zig-zag varints: 7 bits a byte of twice the value. */
  private static int varintBytes(long n) {
    long zigzag = n << 1;
    int bytes = 1;
    while ((zigzag >>>= 7) != 0) {
      bytes++;
    }
    return bytes;
  }

  /**
   * Encodes a copy; exactly one of {@code primary} and {@code primaryError} is non-null. Costs a pass over both
   * bodies: call it off the event loop.
   */
  public static byte[] encode(TeeEvent event, long timestamp, CapturedResponse primary, PrimaryError primaryError) {
    return encode(event, timestamp, primary, primaryError, HeaderMask.none());
  }

  /**
   * Encodes a copy with the values of {@code mask}'s headers (request and primary response) masked: what the sink
   * publishes, so a topic never holds a caller's credentials.
   */
  public static byte[] encode(TeeEvent event, long timestamp, CapturedResponse primary, PrimaryError primaryError,
      HeaderMask mask) {
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
      writeHeaders(json, mask.apply(event.headers()));
      writeBody(json, event.body());
      if (primary == null) {
        json.writeNullField("primary");
        json.writeStringField("primaryError", primaryError.tag());
      } else {
        json.writeObjectFieldStart("primary");
        json.writeNumberField("status", primary.statusCode());
        writeHeaders(json, mask.apply(primary.headers()));
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
