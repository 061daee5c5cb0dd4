package io.shadowcar.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.sink.kafka.ExchangeRecordFormat.PrimaryError;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExchangeRecordFormatTest {

  private final TeeEvents events = new TeeEvents();
  private static final byte[] BINARY = {0, 1, 2, (byte) 0xFF, '"', '\\', '\n'};

  @Test
  void encodesRequestAndPrimaryResponseAsPlainJsonWithStandardBase64Bodies() {
    CapturedResponse primary = new CapturedResponse(201, List.of(Map.entry("Set-Cookie", "a=1"),
        Map.entry("Set-Cookie", "b=2")), Buffer.buffer("ok"), true, 5000, Duration.ofMillis(12));

    JsonObject json = new JsonObject(Buffer.buffer(
        ExchangeRecordFormat.encode(events.event("rid-1", BINARY, Future.succeededFuture()), 1234L, primary, null)));

    assertEquals(1, json.getInteger("v"));
    assertEquals("rid-1", json.getString("requestId"));
    assertEquals(1234L, json.getLong("timestamp"));
    assertEquals("GET", json.getString("method"));
    assertEquals("/items/%2Fa?q=1&q=2", json.getString("uri"));
    assertEquals(new JsonArray().add(new JsonArray().add("Host").add("svc-shadow"))
        .add(new JsonArray().add("X-Request-Id").add("rid-1"))
        .add(new JsonArray().add("X-Shadow-Request").add("true"))
        .add(new JsonArray().add("Accept").add("a"))
        .add(new JsonArray().add("Accept").add("b")), json.getJsonArray("headers"));
    assertArrayEquals(BINARY, Base64.getDecoder().decode(json.getString("body")));
    JsonObject p = json.getJsonObject("primary");
    assertEquals(201, p.getInteger("status"));
    assertEquals("b=2", p.getJsonArray("headers").getJsonArray(1).getString(1));
    assertEquals("ok", new String(Base64.getDecoder().decode(p.getString("body"))));
    assertEquals(true, p.getBoolean("bodyTruncated"));
    assertEquals(5000L, p.getLong("bodyBytes"));
    assertEquals(12_000L, p.getLong("latencyMicros"));
    assertFalse(json.containsKey("primaryError"));
  }

  @Test
  void saysWhyThePrimaryResponseIsMissing() {
    JsonObject json = new JsonObject(Buffer.buffer(ExchangeRecordFormat.encode(
        events.event("rid-2", new byte[0], Future.succeededFuture()), 1L, null, PrimaryError.TIMEOUT)));

    assertNull(json.getJsonObject("primary"));
    assertEquals("timeout", json.getString("primaryError"));
    assertEquals("", json.getString("body"));
  }

  @Test
  void refusesBothOrNeitherOfPrimaryAndError() {
    assertThrows(IllegalArgumentException.class, () -> ExchangeRecordFormat.encode(
        events.event("rid-3", new byte[0], Future.succeededFuture()), 1L, null, null));
  }

  @ParameterizedTest(name = "maxRequestBytes {0}, primary body {1}")
  @CsvSource({"1048576, -1", "1048576, 0", "1048576, 65536", "100000, 1000", "8400, 7", "8318, -1", "8320, -1", "8322, -1", "2048, 10"})
  void aBodyOfExactlyTheLimitFitsTheRecordAndOneByteMoreDoesNot(int maxRequestBytes, int primaryBodyBytes) {
    // -1: no primary response attached (primaryError instead)
    CapturedResponse emptyPrimary = primaryWithBody(0, primaryBodyBytes);
    int jsonBytes = encode(new byte[0], emptyPrimary).length;
    int keyBytes = "rid-size".length();

    int limit = ExchangeRecordFormat.maxBodyBytes(maxRequestBytes, Math.max(0, primaryBodyBytes), jsonBytes,
        keyBytes);

    CapturedResponse primary = primaryWithBody(primaryBodyBytes, primaryBodyBytes);
    assertTrue(limit > 0, "limit " + limit);
    assertTrue(producerEstimate(encode(new byte[limit], primary)) <= maxRequestBytes, "a body of the limit fits");
    assertTrue(producerEstimate(encode(new byte[limit + 1], primary)) > maxRequestBytes, "one byte more does not");
    assertEquals(producerEstimate(encode(new byte[limit], primary)),
        ExchangeRecordFormat.recordBytes(encode(new byte[limit], primary).length, keyBytes));
  }

  @Test
  void theStartUpFigureFitsARecordWithAFullPrimarySampleAndAKibOfRequestHeaders() {
    int sample = 64 << 10;
    int limit = ExchangeRecordFormat.maxBodyBytes(1 << 20, sample);
    List<Map.Entry<String, String>> requestHeaders = List.of(Map.entry("Cookie", "c".repeat(512)),
        Map.entry("Authorization", "a".repeat(480)));
    List<Map.Entry<String, String>> responseHeaders = List.of(Map.entry("Set-Cookie", "s".repeat(300)),
        Map.entry("Content-Type", "application/json"));
    CapturedResponse primary = new CapturedResponse(200, responseHeaders, Buffer.buffer(new byte[sample]), true,
        1 << 30, Duration.ofSeconds(30));
    TeeEvent event = new TeeEvent("0f4c9a7e-1b2d-4e5f-9a7e-1b2d4e5f0f4c", HttpMethod.POST,
        "/orders/7?expand=items", "default", requestHeaders, Buffer.buffer(new byte[limit]), Set.of("kafka"),
        Future.succeededFuture(), () -> {});

    byte[] value = ExchangeRecordFormat.encode(event, System.currentTimeMillis(), primary, null);

    assertTrue(limit > 700 << 10 && limit < 704 << 10, "about 703 KiB: " + limit);
    assertTrue(AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
        event.requestId().getBytes(StandardCharsets.UTF_8), value, formatHeader()) <= 1 << 20);
    assertTrue(ExchangeRecordFormat.maxBodyBytes(1 << 20, 0) > 765 << 10, "about 767 KiB without a primary body");
  }

  @Test
  void saysNoBodyFitsWhenTheRecordIsTooSmallForTheRest() {
    assertEquals(-1, ExchangeRecordFormat.maxBodyBytes(1024, 0));
    assertEquals(-1, ExchangeRecordFormat.maxBodyBytes(100_000, 100_000));
  }

  private byte[] encode(byte[] body, CapturedResponse primary) {
    return ExchangeRecordFormat.encode(events.event("rid-size", body, Future.succeededFuture()), 1732412345678L,
        primary, primary == null ? PrimaryError.TIMEOUT : null);
  }

  /** {@code null} for -1 (no primary response); the same {@code bodyBytes} for every body kept, like a real cut. */
  private static CapturedResponse primaryWithBody(int keptBytes, int declared) {
    if (declared < 0) {
      return null;
    }
    return new CapturedResponse(200, List.of(Map.entry("Content-Type", "application/octet-stream")),
        Buffer.buffer(new byte[keptBytes]), false, declared, Duration.ofMillis(5));
  }

  /** What KafkaProducer.send checks against max.request.size. */
  private static int producerEstimate(byte[] value) {
    return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
        "rid-size".getBytes(StandardCharsets.UTF_8), value, formatHeader());
  }

  private static Header[] formatHeader() {
    return new Header[] {new RecordHeader(ExchangeRecordFormat.FORMAT_HEADER,
        ExchangeRecordFormat.FORMAT_V1.getBytes(StandardCharsets.US_ASCII))};
  }
}
