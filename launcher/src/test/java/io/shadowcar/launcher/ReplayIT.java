package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.launcher.replay.RequestSender;
import io.shadowcar.sink.kafka.ExchangeRecordFormat;
import io.shadowcar.sink.kafka.ExchangeRecordFormat.PrimaryError;
import io.shadowcar.sink.kafka.KafkaShadowSink;
import io.shadowcar.sink.kafka.KafkaShadowSinkConfig;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.kafka.KafkaBrokerExtension;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay} against a real broker and a WireMock target: exact requests, selection, pacing, exit codes. */
class ReplayIT {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final byte[] BINARY = {0, 1, 2, (byte) 0xFF, '"', '\\', '\n', 'x', (byte) 0x80};

  @TempDir Path dir;
  private final WireMockServer target = new WireMockServer(WireMockConfiguration.options().dynamicPort()
      .bindAddress("127.0.0.1"));
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void startTarget() {
    target.start();
    target.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().withStatus(200).withBody("ok")));
  }

  @AfterEach
  void stopTarget() {
    target.stop();
  }

  @Test
  void replaysExactMethodPathQueryHeadersAndBodyBytesPublishedByTheKafkaSink() throws Exception {
    String topic = "replay-exact";
    KAFKA.createTopic(topic, 1);
    List<Map.Entry<String, String>> headers = List.of(Map.entry("Host", "orders.internal-shadow"),
        Map.entry("Accept", "a"), Map.entry("Accept", "b"), Map.entry("X-Request-Id", "rid-put"),
        Map.entry("X-Shadow-Request", "true"), Map.entry("Content-Length", "999"),
        Map.entry("Transfer-Encoding", "chunked"), Map.entry("Connection", "X-Hop"), Map.entry("X-Hop", "1"));
    publishWithTheSink(topic, event("rid-put", HttpMethod.PUT, "/items/%2Fa?q=1&q=2", headers, BINARY),
        event("rid-get", HttpMethod.GET, "/items?x=%20y", List.of(Map.entry("X-Request-Id", "rid-get")), new byte[0]));

    int code = replay("--topic", topic, "--target", target.baseUrl() + "/base", "--from", "earliest",
        "--count", "2", "--rate", "50", "--allow-unsafe", "--max-inflight", "1", "--json");

    assertEquals(0, code, err + "\n" + out);
    JsonObject summary = new JsonObject(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals(2, summary.getLong("sent"), summary.encode());
    assertEquals(2, summary.getJsonObject("status").getLong("200"), summary.encode());
    List<LoggedRequest> requests = received();
    LoggedRequest put = requests.get(0);
    assertEquals("PUT", put.getMethod().getName());
    assertEquals("/base/items/%2Fa?q=1&q=2", put.getUrl());
    assertEquals(List.of("a", "b"), put.getHeaders().getHeader("Accept").values());
    assertEquals("orders.internal-shadow", put.getHeader("Host"));
    assertEquals("rid-put", put.getHeader("X-Request-Id"));
    assertEquals(List.of("true"), put.getHeaders().getHeader("X-Shadow-Request").values());
    assertEquals("true", put.getHeader("X-Replay"));
    assertEquals(String.valueOf(BINARY.length), put.getHeader("Content-Length"));
    assertFalse(put.containsHeader("Transfer-Encoding"));
    assertFalse(put.containsHeader("X-Hop"));
    assertArrayEquals(BINARY, put.getBody());
    LoggedRequest get = requests.get(1);
    assertEquals("GET", get.getMethod().getName());
    assertEquals("/base/items?x=%20y", get.getUrl());
    assertEquals(0, get.getBody().length);
    assertNull(get.getHeader("Transfer-Encoding"));
  }

  @Test
  void skipsUnsafeMethodsAndBadRecordsCountingEachReasonAndCarriesOn() throws Exception {
    String topic = "replay-skips";
    KAFKA.createTopic(topic, 1);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, encode("g1", HttpMethod.GET, "/one"));
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, encode("p1", HttpMethod.POST, "/orders"));
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, "{not json".getBytes(StandardCharsets.UTF_8));
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, new JsonObject(Buffer.buffer(
          encode("b1", HttpMethod.GET, "/bad"))).put("body", "%%%").encode().getBytes(StandardCharsets.UTF_8));
      send(producer, topic, "exchange-json-v9", encode("f1", HttpMethod.GET, "/future"));
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, new JsonObject(Buffer.buffer(
          encode("m1", HttpMethod.GET, "/nomethod"))).putNull("method").encode().getBytes(StandardCharsets.UTF_8));
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, encode("d1", HttpMethod.DELETE, "/orders/1"));
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, encode("g2", HttpMethod.GET, "/two"));
    }

    // One request at a time: the target sees them in sending order (two connections could overtake each other).
    int code = replay("--topic", topic, "--target", target.baseUrl(), "--from", "earliest", "--count", "2",
        "--rate", "200", "--max-inflight", "1", "--json");

    assertEquals(0, code, err + "\n" + out);
    JsonObject summary = new JsonObject(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals(2, summary.getLong("sent"), summary.encode());
    assertEquals(new JsonObject().put("bad_base64", 1).put("missing_field", 1).put("not_json", 1)
        .put("unknown_format", 1).put("unsafe_method", 2), summary.getJsonObject("skippedByReason"));
    assertEquals(List.of("/one", "/two"), received().stream().map(LoggedRequest::getUrl).toList());
  }

  @Test
  void keepsAFixedRateWithinTenPercent() throws Exception {
    String topic = "replay-rate";
    KAFKA.createTopic(topic, 2);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 150; i++) {
        send(producer, topic, ExchangeRecordFormat.FORMAT_V1, encode("r" + i, HttpMethod.GET, "/r/" + i));
      }
    }

    int code = replay("--topic", topic, "--target", target.baseUrl(), "--from", "earliest", "--rate", "20",
        "--duration", "5s", "--timeout", "3s", "--max-failure-percent", "100", "--json");

    assertEquals(0, code, err + "\n" + out);
    JsonObject summary = new JsonObject(out.toString(StandardCharsets.UTF_8).trim());
    // The subject is pacing: a request the loaded target answers late counts as failed, and is still a request sent.
    long replayed = summary.getLong("sent") + summary.getLong("failed");
    double perSecond = replayed / (summary.getLong("elapsedMillis") / 1000.0);
    System.out.printf("fixed rate 20/s over 5 s: replayed %d in %d ms = %.2f/s%n", replayed,
        summary.getLong("elapsedMillis"), perSecond);
    // The 5 s include the first fetch; the rate is measured from the first request sent.
    assertTrue(replayed >= 70 && replayed <= 101, summary.encode());
    assertTrue(Math.abs(perSecond - 20) <= 2, perSecond + " " + summary.encode());
    assertEquals(replayed, target.getAllServeEvents().size(), summary.encode());
  }

  @Test
  void keepsTheRecordedPaceTwiceAsFastWithinTenPercent() throws Exception {
    String topic = "replay-speed";
    KAFKA.createTopic(topic, 2);
    // Recorded at 10/s (100 ms apart) over 2 minutes, alternating between the partitions as keyed records would: a
    // backlog of more than one poll per partition, so the reader must merge the partitions by time.
    long recordedStart = System.currentTimeMillis() - 300_000;
    try (KafkaProducer<String, byte[]> producer = producer()) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < 1200; i++) {
        long recordedAt = recordedStart + i * 100L;
        sent.add(producer.send(new ProducerRecord<>(topic, i % 2, recordedAt, "s" + i,
            encode("s" + i, HttpMethod.GET, "/s/" + i, recordedAt), formatHeader(ExchangeRecordFormat.FORMAT_V1))));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }

    int code = replay("--topic", topic, "--target", target.baseUrl(), "--from", "earliest", "--speed", "2",
        "--duration", "5s", "--timeout", "3s", "--max-failure-percent", "100", "--json");

    assertEquals(0, code, err + "\n" + out);
    JsonObject summary = new JsonObject(out.toString(StandardCharsets.UTF_8).trim());
    long replayed = summary.getLong("sent") + summary.getLong("failed");
    double perSecond = replayed / (summary.getLong("elapsedMillis") / 1000.0);
    System.out.printf("recorded pace 10/s at --speed 2 over 5 s: replayed %d in %d ms = %.2f/s%n", replayed,
        summary.getLong("elapsedMillis"), perSecond);
    // 2 x 10/s; the 5 s include the first fetch, the rate is measured from the first request sent.
    assertTrue(replayed >= 70 && replayed <= 101, summary.encode());
    assertTrue(Math.abs(perSecond - 20) <= 2, perSecond + " " + summary.encode());
    // The first records in recorded time, from both partitions (arrival order may differ: requests overlap).
    assertEquals(LongStream.range(0, replayed).mapToObj(i -> "/s/" + i).collect(Collectors.toSet()),
        received().stream().map(LoggedRequest::getUrl).collect(Collectors.toSet()), summary.encode());
  }

  @Test
  void exitsOneWhenMoreRequestsFailThanAllowed() throws Exception {
    String topic = "replay-failures";
    KAFKA.createTopic(topic, 1);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, encode("x1", HttpMethod.GET, "/x"));
    }
    String closed = target.baseUrl();
    target.stop();
    int code;
    List<String> warnings;
    try (LogCapture log = LogCapture.of(RequestSender.class, Level.WARN)) {
      code = replay("--topic", topic, "--target", closed, "--from", "earliest", "--count", "1", "--json",
          "--timeout", "2s");
      warnings = log.messages();
    }

    assertEquals(1, code, err.toString());
    JsonObject summary = new JsonObject(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals(1, summary.getLong("failed"), summary.encode());
    assertTrue(err.toString().contains("of requests failed"), err.toString());
    // the log says why, once per reason: here the refused connection, with the request it failed
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("request GET /x failed (connect: "), warnings.get(0));
  }

  @Test
  void rejectsBadArgumentsWithOneLineAndExitTwo() {
    int code = Main.run(new String[] {"replay", "--bootstrap", "b:1", "--topic", "t", "--target", "ftp://x",
        "--rate", "5"}, new PrintStream(out), new PrintStream(err));

    assertEquals(2, code);
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("shadowcar replay: --target: 'ftp://x'"), message);
  }

  @Test
  void replaysThroughTheJar() throws Exception {
    String topic = "replay-jar";
    KAFKA.createTopic(topic, 1);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      send(producer, topic, ExchangeRecordFormat.FORMAT_V1, encode("j1", HttpMethod.GET, "/jar?z=1"));
    }

    try (SidecarProcess replay = SidecarProcess.launch(dir, List.of(), "replay", "--bootstrap",
        KAFKA.bootstrapServers(), "--topic", topic, "--target", target.baseUrl(), "--from", "earliest",
        "--count", "1", "--json")) {
      assertEquals(0, replay.exitCode(), replay.output());
      assertTrue(replay.output().contains("\"sent\":1"), replay.output());
    }
    assertEquals(List.of("/jar?z=1"), received().stream().map(LoggedRequest::getUrl).toList());
  }

  private int replay(String... args) {
    List<String> all = new ArrayList<>(List.of("replay", "--bootstrap", KAFKA.bootstrapServers()));
    all.addAll(List.of(args));
    return Main.run(all.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
  }

  /** Requests the target received, in arrival order. */
  private List<LoggedRequest> received() {
    return target.getAllServeEvents().stream()
        .map(e -> e.getRequest())
        .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
        .toList();
  }

  /** Publishes through the real sink (primary not awaited), then waits until the records are on the topic. */
  private static void publishWithTheSink(String topic, TeeEvent... events) throws Exception {
    KafkaShadowSink sink = new KafkaShadowSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic)
        .withPrimaryWait(Duration.ZERO), new SimpleMeterRegistry());
    try {
      sink.started().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      for (TeeEvent event : events) {
        sink.send(event);
        // One at a time: records keep the order they were sent in, and the test can name them by position.
        KAFKA.readRecords(topic, 1 + List.of(events).indexOf(event), Duration.ofSeconds(30));
      }
    } finally {
      sink.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static TeeEvent event(String requestId, HttpMethod method, String uri, List<Map.Entry<String, String>> headers,
      byte[] body) {
    return new TeeEvent(requestId, method, uri, "default", headers, Buffer.buffer(body), Set.of("kafka"),
        Future.<CapturedResponse>succeededFuture(), () -> { });
  }

  private static byte[] encode(String requestId, HttpMethod method, String uri) {
    return encode(requestId, method, uri, System.currentTimeMillis());
  }

  private static byte[] encode(String requestId, HttpMethod method, String uri, long recordedAt) {
    TeeEvent event = event(requestId, method, uri, List.of(Map.entry("X-Request-Id", requestId)), new byte[0]);
    return ExchangeRecordFormat.encode(event, recordedAt, null, PrimaryError.NOT_AWAITED);
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  private static void send(KafkaProducer<String, byte[]> producer, String topic, String format, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, null, null, null, value, formatHeader(format)))
        .get(30, TimeUnit.SECONDS);
  }

  private static List<Header> formatHeader(String format) {
    return List.of(new RecordHeader(ExchangeRecordFormat.FORMAT_HEADER, format.getBytes(StandardCharsets.US_ASCII)));
  }
}
