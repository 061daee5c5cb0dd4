package io.shadowcar.sink.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.sink.SinkMetrics;
import io.shadowcar.sink.TestSinks;
import io.shadowcar.sink.kafka.ExchangeRecordFormat.PrimaryError;
import io.shadowcar.sink.observe.ExchangeObservers;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.DropReason;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.tee.TeeMetrics;
import io.shadowcar.testkit.LogCapture;
import io.shadowcar.testkit.RefusingPort;
import io.shadowcar.testkit.SidecarTransport;
import io.shadowcar.testkit.kafka.KafkaBrokerExtension;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaShadowSinkIT {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final byte[] BINARY = {0, 1, 2, (byte) 0xFF, '"', '\\', '\n', 'x'};
  private static Vertx vertx;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TeeEvents events = new TeeEvents();
  private KafkaShadowSink sink;

  @BeforeAll
  static void startVertx() {
    vertx = SidecarTransport.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeSink() throws Exception {
    if (sink != null) {
      sink.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void publishesCopyWithPrimaryResponseKeyedByRequestIdWithExactBytesAndHeaders() throws Exception {
    String topic = "exchanges";
    KAFKA.createTopic(topic, 2);
    startSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic));
    Promise<CapturedResponse> primary = Promise.promise();

    sendOnEventLoop(List.of(events.event("rid-1", BINARY, primary.future())));
    vertx.runOnContext(v -> primary.complete(new CapturedResponse(200, List.of(Map.entry("Content-Type", "text/plain")),
        Buffer.buffer("primary-body"), false, 12, Duration.ofMillis(3))));

    ConsumerRecord<String, byte[]> record = KAFKA.readRecords(topic, 1, WAIT).get(0);
    assertEquals("rid-1", record.key());
    assertEquals(ExchangeRecordFormat.FORMAT_V1,
        new String(record.headers().lastHeader(ExchangeRecordFormat.FORMAT_HEADER).value(), StandardCharsets.UTF_8));
    JsonObject json = new JsonObject(Buffer.buffer(record.value()));
    assertEquals(record.timestamp(), json.getLong("timestamp"));
    assertEquals("/items/%2Fa?q=1&q=2", json.getString("uri"));
    assertEquals("b", json.getJsonArray("headers").getJsonArray(4).getString(1));
    assertArrayEquals(BINARY, Base64.getDecoder().decode(json.getString("body")));
    assertEquals(200, json.getJsonObject("primary").getInteger("status"));
    assertEquals("primary-body",
        new String(Base64.getDecoder().decode(json.getJsonObject("primary").getString("body")), StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> copies(TeeMetrics.RESULT_SENT) == 1 && events.released.get() == 1);
    assertEquals(0, sink.inflight());
  }

  @Test
  void publishesMaskedValuesOfTheConfiguredHeadersThatStayComparable() throws Exception {
    String topic = "masked";
    KAFKA.createTopic(topic, 1);
    HeaderMask mask = HeaderMask.of(List.of("accept", "Set-Cookie"), "a-deployment-key-of-32-bytes!!!!".getBytes(
        StandardCharsets.US_ASCII));
    sink = new KafkaShadowSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic),
        TestSinks.context(vertx, registry, ExchangeObservers.none(), mask));
    sink.started().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    sendOnEventLoop(List.of(events.event("rid-m", BINARY, Future.succeededFuture(new CapturedResponse(200,
        List.of(Map.entry("Set-Cookie", "session=s3cret"), Map.entry("Content-Type", "text/plain")),
        Buffer.buffer("ok"), false, 2, Duration.ofMillis(1))))));

    JsonObject json = new JsonObject(Buffer.buffer(KAFKA.readRecords(topic, 1, WAIT).get(0).value()));
    String text = json.encode();
    assertFalse(text.contains("s3cret"), text);
    assertEquals(mask.mask("a"), json.getJsonArray("headers").getJsonArray(3).getString(1));
    assertEquals(mask.mask("b"), json.getJsonArray("headers").getJsonArray(4).getString(1));
    assertEquals("svc-shadow", json.getJsonArray("headers").getJsonArray(0).getString(1), "other headers as they were");
    assertEquals(mask.mask("session=s3cret"),
        json.getJsonObject("primary").getJsonArray("headers").getJsonArray(0).getString(1));
    assertEquals("text/plain", json.getJsonObject("primary").getJsonArray("headers").getJsonArray(1).getString(1));
  }

  @Test
  void publishesRequestAloneSayingWhyWhenPrimaryFailsOrIsLate() throws Exception {
    String topic = "late-primary";
    KAFKA.createTopic(topic, 1);
    startSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic).withPrimaryWait(Duration.ofMillis(200)));

    sendOnEventLoop(List.of(
        events.event("never", BINARY, Promise.<CapturedResponse>promise().future()),
        events.event("failed", BINARY, Future.failedFuture("primary unreachable"))));

    Map<String, JsonObject> byKey = KAFKA.readRecords(topic, 2, WAIT).stream().collect(Collectors.toMap(
        ConsumerRecord::key, r -> new JsonObject(Buffer.buffer(r.value()))));
    assertEquals("timeout", byKey.get("never").getString("primaryError"));
    assertEquals("failed", byKey.get("failed").getString("primaryError"));
    await().atMost(WAIT).until(() -> copies(TeeMetrics.RESULT_SENT) == 2 && events.released.get() == 2);
  }

  @Test
  void dropsEveryCopyAsSinkDownWithoutWaitingWhenTheBrokerNeverAnswers() throws Exception {
    // A "broker" that accepts connections and never answers: a send that waited for metadata would never return.
    AtomicInteger connections = new AtomicInteger();
    NetServer blackHole = vertx.createNetServer().connectHandler(socket -> connections.incrementAndGet());
    int port = blackHole.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
        .actualPort();
    try {
      sink = new KafkaShadowSink(KafkaShadowSinkConfig.of("127.0.0.1:" + port, "nowhere"), registry);
      await().atMost(WAIT).until(() -> connections.get() > 0); // the producer exists and is asking for metadata

      sendOnEventLoop(copies(200));

      await().atMost(WAIT).until(() -> dropped(DropReason.SINK_DOWN) == 200 && events.released.get() == 200);
      assertEquals(0, copies(TeeMetrics.RESULT_SENT) + copies(TeeMetrics.RESULT_FAILED));
      assertEquals(0, sink.inflight());
      assertTrue(!sink.started().isComplete(), "started() must stay pending while no broker answers");
    } finally {
      blackHole.close();
    }
  }

  @Test
  void dropsCopiesAsSinkDownWhenTheBootstrapRefusesConnections() throws Exception {
    try (RefusingPort nowhere = RefusingPort.open()) {
      sink = new KafkaShadowSink(KafkaShadowSinkConfig.of("127.0.0.1:" + nowhere.port(), "nowhere"), registry);

      sendOnEventLoop(copies(50));

      await().atMost(WAIT).until(() -> dropped(DropReason.SINK_DOWN) == 50 && events.released.get() == 50);
      assertEquals(0, sink.inflight());
    }
  }

  @Test
  void resumesPublishingAfterTheBrokerComesBack() throws Exception {
    String topic = "resume";
    KAFKA.createTopic(topic, 1);
    startSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic).withPrimaryWait(Duration.ZERO));
    sendOnEventLoop(List.of(events.event("before", BINARY, Future.succeededFuture())));
    await().atMost(WAIT).until(() -> copies(TeeMetrics.RESULT_SENT) == 1);

    KAFKA.stopBroker();
    sendOnEventLoop(copies(20)); // returns although no broker is there: each copy is buffered or dropped
    KAFKA.startBroker();
    await().atMost(WAIT).until(() -> outcomes() == 21 && sink.inflight() == 0);

    // Until the producer has reconnected and has the topic's metadata again, copies may be dropped; then they flow.
    double sentBefore = copies(TeeMetrics.RESULT_SENT);
    AtomicInteger attempts = new AtomicInteger();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      sendOnEventLoop(List.of(events.event("after-" + attempts.incrementAndGet(), BINARY, Future.succeededFuture())));
      return copies(TeeMetrics.RESULT_SENT) > sentBefore;
    });
    await().atMost(WAIT).until(() -> outcomes() == 21 + attempts.get() && events.released.get() == 21 + attempts.get());
    List<String> keys = KAFKA.readRecords(topic, (int) copies(TeeMetrics.RESULT_SENT), WAIT).stream()
        .map(ConsumerRecord::key).toList();
    assertTrue(keys.contains("before") && keys.stream().anyMatch(k -> k.startsWith("after-")), "keys: " + keys);
    assertEquals(0, sink.inflight());
  }

  @Test
  void dropsWhenTheProducerBufferIsFullAndHoldsNoMoreThanItsBuffer() throws Exception {
    String topic = "full";
    KAFKA.createTopic(topic, 1);
    int bufferBytes = 64 * 1024;
    int bodyBytes = 4 * 1024;
    // Uncompressed, so the buffer's bound in bytes is a bound on the copies' encoded size; no re-bootstrap, so the
    // producer keeps the topic's metadata while the broker is away and buffers rather than refusing at once; a long
    // delivery timeout, so a slow restart on a busy machine cannot turn held copies into failed ones.
    startSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic).withPrimaryWait(Duration.ZERO)
        .withBufferMemoryBytes(bufferBytes)
        .withProducerOverrides(Map.of("compression.type", "none", "metadata.recovery.strategy", "none",
            "delivery.timeout.ms", "300000")));
    sendOnEventLoop(List.of(events.event("warm-up", BINARY, Future.succeededFuture())));
    await().atMost(WAIT).until(() -> copies(TeeMetrics.RESULT_SENT) == 1);

    KAFKA.stopBroker(); // the producer keeps the topic's metadata, so it buffers until the buffer is full
    Random random = new Random(42);
    List<TeeEvent> big = IntStream.range(0, 100).mapToObj(i -> {
      byte[] body = new byte[bodyBytes];
      random.nextBytes(body);
      return events.event("big-" + i, body, Future.succeededFuture());
    }).toList();
    sendOnEventLoop(big);

    // Every copy has been offered to the producer once its hold is released: refused (buffer full) or held.
    await().atMost(WAIT).until(() -> events.released.get() == 101);
    int held = sink.inflight();
    assertEquals(100, dropped(DropReason.SINK_DOWN) + held);
    assertTrue(held > 0, "the producer buffers copies while it has room");
    assertTrue(dropped(DropReason.SINK_DOWN) > 0, "copies beyond the buffer are dropped");
    assertTrue((long) held * bodyBytes <= bufferBytes, held + " copies of " + bodyBytes + " B held in a "
        + bufferBytes + " B buffer");

    KAFKA.startBroker();
    await().atMost(WAIT).until(() -> copies(TeeMetrics.RESULT_SENT) == 1 + held && sink.inflight() == 0);
  }

  @Test
  void dropsAsInflightFullOverTheCapWhileCopiesWaitForThePrimary() throws Exception {
    String topic = "capped";
    KAFKA.createTopic(topic, 1);
    startSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic)
        .withMaxInflight(2).withPrimaryWait(Duration.ofMinutes(1)));
    List<Promise<CapturedResponse>> primaries = IntStream.range(0, 5).mapToObj(i -> Promise.<CapturedResponse>promise())
        .toList();

    sendOnEventLoop(IntStream.range(0, 5).mapToObj(i -> events.event("c-" + i, BINARY, primaries.get(i).future()))
        .toList());

    assertEquals(3, dropped(DropReason.INFLIGHT_FULL));
    assertEquals(2, sink.inflight());
    vertx.runOnContext(v -> primaries.forEach(p -> p.tryFail("primary failed")));
    await().atMost(WAIT).until(() -> copies(TeeMetrics.RESULT_SENT) == 2 && sink.inflight() == 0);
    assertEquals(5, events.released.get());
  }

  @Test
  void dropsAsBodyTooLargeWhenTheRecordExceedsMaxRequestSize() throws Exception {
    String topic = "too-large";
    KAFKA.createTopic(topic, 1);
    startSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic).withPrimaryWait(Duration.ZERO)
        .withProducerOverrides(Map.of("max.request.size", "2048")));

    sendOnEventLoop(List.of(events.event("big", new byte[4096], Future.succeededFuture()),
        events.event("small", BINARY, Future.succeededFuture())));

    await().atMost(WAIT).until(() -> dropped(DropReason.BODY_TOO_LARGE) == 1 && copies(TeeMetrics.RESULT_SENT) == 1);
    assertEquals("small", KAFKA.readRecords(topic, 1, WAIT).get(0).key());
    assertEquals(2, events.released.get());
  }

  @Test
  void publishesABodyOfExactlyTheStatedLimitAndDropsOneByteMoreSayingSoInTheLog() throws Exception {
    String topic = "exact-limit";
    KAFKA.createTopic(topic, 1);
    int maxRequestBytes = 20_000;
    // The limit for these very records: their JSON without a body (a 13-digit timestamp, like now) and their key.
    int jsonBytes = ExchangeRecordFormat.encode(events.event("fits", new byte[0], Future.succeededFuture()),
        System.currentTimeMillis(), null, PrimaryError.NOT_AWAITED).length;
    int limit = ExchangeRecordFormat.maxBodyBytes(maxRequestBytes, 0, jsonBytes, "fits".length());
    try (LogCapture log = LogCapture.of(KafkaShadowSink.class, Level.INFO)) {
      startSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic).withPrimaryWait(Duration.ZERO)
          .withProducerOverrides(Map.of("max.request.size", String.valueOf(maxRequestBytes))));

      sendOnEventLoop(List.of(events.event("fits", new byte[limit], Future.succeededFuture()),
          events.event("over", new byte[limit + 1], Future.succeededFuture())));

      await().atMost(WAIT).until(() -> dropped(DropReason.BODY_TOO_LARGE) == 1 && copies(TeeMetrics.RESULT_SENT) == 1);
      ConsumerRecord<String, byte[]> record = KAFKA.readRecords(topic, 1, WAIT).get(0);
      assertEquals("fits", record.key());
      assertEquals(limit, Base64.getDecoder().decode(new JsonObject(Buffer.buffer(record.value())).getString("body"))
          .length);
      await().atMost(WAIT).until(() -> log.messages().stream().anyMatch(l -> l.matches(
          "kafka sink: 1 copy dropped in the last \\d+ s: body_too_large \\(record over 20000 bytes\\)")));
      List<String> lines = log.messages();
      assertTrue(lines.contains("kafka sink: topic " + topic + " on " + KAFKA.bootstrapServers()
          + "; request bodies up to " + ExchangeRecordFormat.maxBodyBytes(maxRequestBytes, 0)
          + " bytes fit a record (maxRequestBytes " + maxRequestBytes + ", Base64)"), "start-up line in " + lines);
      assertTrue(lines.stream().anyMatch(
          l -> l.startsWith("kafka sink: shadowcar.shadow.maxBodyBytes 1048576 is larger")),
          "warning about the tee's larger cap in " + lines);
    }
  }

  @Test
  void publishesTheProducersMetricsAndTimesEachSendUntilTheBrokerAnswers() throws Exception {
    String topic = "metered";
    KAFKA.createTopic(topic, 1);
    startSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic).withPrimaryWait(Duration.ZERO));

    sendOnEventLoop(copies(3));

    await().atMost(WAIT).until(() -> copies(TeeMetrics.RESULT_SENT) == 3);
    Timer acked = registry.get(SinkMetrics.KAFKA_SEND).tag(TeeMetrics.TAG_RESULT, TeeMetrics.RESULT_SENT).timer();
    assertEquals(3, acked.count());
    assertTrue(acked.totalTime(TimeUnit.NANOSECONDS) > 0);
    Meter sendTotal = registry.get("kafka.producer.record.send.total").meter();
    assertTrue(sendTotal.measure().iterator().next().getValue() >= 3, "the producer's own count of records sent");
    // The ones docs/operations.md names, tagged with the sink's client id.
    for (String name : List.of("buffer.available.bytes", "record.error.total", "record.retry.total",
        "request.latency.avg", "record.queue.time.avg", "record.size.max", "batch.size.avg", "compression.rate.avg",
        "connection.count")) {
      registry.get("kafka.producer." + name).tag("client.id", KafkaShadowSink.THREAD_NAME + "-" + topic).meter();
    }

    sink.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(0, producerMeters(), "a closed producer leaves no meters behind");
    assertEquals(3, registry.get(SinkMetrics.KAFKA_SEND).tag(TeeMetrics.TAG_RESULT, TeeMetrics.RESULT_SENT).timer()
        .count());
  }

  @Test
  void failsStartedAndDropsCopiesWhenTheProducerCannotBeCreated() throws Exception {
    sink = new KafkaShadowSink(KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), "t")
        .withProducerOverrides(Map.of("linger.ms", "not-a-number")), registry);

    CompletableFuture<Void> started = sink.started().toCompletionStage().toCompletableFuture();
    assertThrows(ExecutionException.class, () -> started.get(30, TimeUnit.SECONDS));
    sendOnEventLoop(copies(3));

    assertEquals(3, dropped(DropReason.SINK_DOWN));
    assertEquals(3, events.released.get());
  }

  @Test
  void closeFlushesAcceptedCopiesAndDropsLaterOnes() throws Exception {
    String topic = "closing";
    KAFKA.createTopic(topic, 1);
    KafkaShadowSinkConfig defaults = KafkaShadowSinkConfig.of(KAFKA.bootstrapServers(), topic);
    startSink(new KafkaShadowSinkConfig(defaults.bootstrap(), topic, defaults.acks(), defaults.linger(),
        defaults.compression(), defaults.bufferMemoryBytes(), defaults.maxRequestBytes(), defaults.maxInflight(),
        Duration.ZERO, Duration.ofSeconds(60), Map.of())); // a close timeout no busy machine reaches
    CompletableFuture<Void> closed = new CompletableFuture<>();

    vertx.runOnContext(v -> {
      copies(10).forEach(sink::send);
      sink.close().onComplete(ar -> closed.complete(null));
    });
    closed.get(30, TimeUnit.SECONDS);

    assertEquals(10, copies(TeeMetrics.RESULT_SENT));
    sendOnEventLoop(List.of(events.event("late", BINARY, Future.succeededFuture())));
    assertEquals(1, dropped(DropReason.SINK_DOWN));
    assertEquals(11, events.released.get());
    assertEquals(10, KAFKA.readRecords(topic, 10, WAIT).size());
    assertTrue(registry.find(TeeMetrics.SHADOW_INFLIGHT).gauges().isEmpty(), "a closed sink leaves no gauge behind");
  }

  private void startSink(KafkaShadowSinkConfig config) throws Exception {
    sink = new KafkaShadowSink(config, registry);
    sink.started().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private long producerMeters() {
    return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("kafka.producer.")).count();
  }

  private List<TeeEvent> copies(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> events.event("copy-" + i, BINARY, Future.succeededFuture()))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  /** Calls send() for each event in one event-loop task; returns once that task has finished. */
  private void sendOnEventLoop(List<TeeEvent> batch) throws Exception {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      batch.forEach(sink::send);
      done.complete(Context.isOnEventLoopThread());
    });
    assertTrue(done.get(30, TimeUnit.SECONDS), "send() ran on an event loop");
  }

  private double copies(String result) {
    return registry.get(TeeMetrics.COPIES).tags(TeeMetrics.TAG_SINK, KafkaSinkProvider.TAG, TeeMetrics.TAG_RESULT, result)
        .counters().stream().mapToDouble(Counter::count).sum();
  }

  private double dropped(DropReason reason) {
    return registry.get(TeeMetrics.DROPPED).tag(TeeMetrics.TAG_REASON, reason.tag()).counter().count();
  }

  private double outcomes() {
    return copies(TeeMetrics.RESULT_SENT) + copies(TeeMetrics.RESULT_FAILED) + registry.get(TeeMetrics.DROPPED)
        .counters().stream().mapToDouble(Counter::count).sum();
  }
}
