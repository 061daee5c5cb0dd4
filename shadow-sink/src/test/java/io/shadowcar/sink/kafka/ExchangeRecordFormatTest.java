package io.shadowcar.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shadowcar.sink.kafka.ExchangeRecordFormat.PrimaryError;
import io.shadowcar.tee.CapturedResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
