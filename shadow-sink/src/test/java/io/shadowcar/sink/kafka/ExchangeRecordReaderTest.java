package io.shadowcar.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.sink.kafka.BadRecordException.Reason;
import io.shadowcar.sink.kafka.ExchangeRecordFormat.PrimaryError;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class ExchangeRecordReaderTest {

  private static final byte[] BINARY = {0, 1, 2, (byte) 0xFF, '"', '\\', '\n', 'x'};

  private final TeeEvents events = new TeeEvents();

  @Test
  void readsBackWhatTheEncoderWroteWithThePrimaryResponse() throws Exception {
    CapturedResponse primary = new CapturedResponse(201, List.of(Map.entry("Set-Cookie", "a=1"),
        Map.entry("Set-Cookie", "b=2")), Buffer.buffer(BINARY), true, 5000, Duration.ofMillis(12));
    byte[] value = ExchangeRecordFormat.encode(events.event("rid-1", BINARY, Future.succeededFuture()), 1234L,
        primary, null);

    RecordedExchange exchange = ExchangeRecordReader.read(ExchangeRecordFormat.FORMAT_V1, value);

    assertEquals("rid-1", exchange.requestId());
    assertEquals(1234L, exchange.timestamp());
    assertEquals("default", exchange.route());
    assertEquals("GET", exchange.method());
    assertEquals("/items/%2Fa?q=1&q=2", exchange.uri());
    assertEquals(List.of(Map.entry("Host", "svc-shadow"), Map.entry("X-Request-Id", "rid-1"),
        Map.entry("X-Shadow-Request", "true"), Map.entry("Accept", "a"), Map.entry("Accept", "b")), exchange.headers());
    assertArrayEquals(BINARY, exchange.body().getBytes());
    assertEquals(Optional.empty(), exchange.primaryError());
    CapturedResponse read = exchange.primary().orElseThrow();
    assertEquals(201, read.statusCode());
    assertEquals(primary.headers(), read.headers());
    assertArrayEquals(BINARY, read.body().getBytes());
    assertTrue(read.bodyTruncated());
    assertEquals(5000L, read.bodyBytesSeen());
    assertEquals(Duration.ofMillis(12), read.latency());
  }

  @Test
  void readsBackWhyThePrimaryResponseIsMissing() throws Exception {
    for (PrimaryError error : PrimaryError.values()) {
      byte[] value = ExchangeRecordFormat.encode(events.event("rid-2", new byte[0], Future.succeededFuture()), 1L,
          null, error);

      RecordedExchange exchange = ExchangeRecordReader.read(null, value);

      assertEquals(Optional.empty(), exchange.primary());
      assertEquals(Optional.of(error), exchange.primaryError());
      assertEquals(0, exchange.body().length());
    }
  }

  @Test
  void readsAConsumedRecordWithItsFormatHeader() throws Exception {
    byte[] value = ExchangeRecordFormat.encode(events.event("rid-3", BINARY, Future.succeededFuture()), 7L, null,
        PrimaryError.NOT_AWAITED);
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("t", 0, 0, "rid-3", value);
    record.headers().add(new RecordHeader(ExchangeRecordFormat.FORMAT_HEADER,
        ExchangeRecordFormat.FORMAT_V1.getBytes(StandardCharsets.US_ASCII)));

    assertEquals("rid-3", ExchangeRecordReader.read(record).requestId());
  }

  @Test
  void ignoresFieldsItDoesNotKnowAndPrimaryErrorsFromANewerWriter() throws Exception {
    JsonObject json = valid().put("addedLater", new JsonObject().put("x", 1)).put("primaryError", "brand_new");

    RecordedExchange exchange = ExchangeRecordReader.read(ExchangeRecordFormat.FORMAT_V1, bytes(json));

    assertEquals("rid-9", exchange.requestId());
    assertEquals(Optional.empty(), exchange.primaryError());
  }

  @Test
  void rejectsValuesThatAreNotAJsonObject() {
    assertRejected(Reason.NOT_JSON, null, "not json at all".getBytes(StandardCharsets.UTF_8));
    assertRejected(Reason.NOT_JSON, null, "[1,2]".getBytes(StandardCharsets.UTF_8));
    assertRejected(Reason.NOT_JSON, null, null);
  }

  @Test
  void rejectsAnotherFormatByHeaderOrVersion() {
    assertRejected(Reason.UNKNOWN_FORMAT, "exchange-json-v2", bytes(valid()));
    assertRejected(Reason.UNKNOWN_FORMAT, null, bytes(valid().put("v", 2)));
  }

  @Test
  void rejectsBodiesThatAreNotStandardBase64() {
    assertRejected(Reason.BAD_BASE64, null, bytes(valid().put("body", "not base64!")));
    assertRejected(Reason.BAD_BASE64, null, bytes(valid().put("primary", primary().put("body", "%%%"))));
  }

  @Test
  void rejectsMissingOrMistypedFields() {
    for (String field : List.of("v", "requestId", "timestamp", "route", "method", "uri", "headers", "body")) {
      JsonObject json = valid();
      json.remove(field);
      assertRejected(Reason.MISSING_FIELD, null, bytes(json));
    }
    assertRejected(Reason.MISSING_FIELD, null, bytes(valid().put("method", 5)));
    assertRejected(Reason.MISSING_FIELD, null, bytes(valid().put("headers", List.of(List.of("only-a-name")))));
    assertRejected(Reason.MISSING_FIELD, null, bytes(valid().put("primary", "yes")));
    JsonObject noStatus = primary();
    noStatus.remove("status");
    assertRejected(Reason.MISSING_FIELD, null, bytes(valid().put("primary", noStatus)));
  }

  private static void assertRejected(Reason reason, String header, byte[] value) {
    BadRecordException e = assertThrows(BadRecordException.class, () -> ExchangeRecordReader.read(header, value));
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().startsWith(reason.tag() + ": "), e.getMessage());
  }

  private JsonObject valid() {
    return new JsonObject(Buffer.buffer(ExchangeRecordFormat.encode(
        events.event("rid-9", BINARY, Future.succeededFuture()), 9L, null, PrimaryError.FAILED)));
  }

  private static JsonObject primary() {
    return new JsonObject().put("status", 200).put("headers", List.of()).put("body", "")
        .put("bodyTruncated", false).put("bodyBytes", 0).put("latencyMicros", 10);
  }

  private static byte[] bytes(JsonObject json) {
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }
}
