package io.shadowcar.launcher.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.headers.HeaderMask;
import io.shadowcar.diff.DiffConfig;
import io.shadowcar.dashboard.DashboardConfig;
import io.shadowcar.sink.kafka.ExchangeRecordFormat;
import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;
import io.shadowcar.testkit.kafka.KafkaBrokerExtension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet end to end on a real broker: exchanges published with the Kafka sink's encoder (recorded primary
 * responses), diff workers in one consumer group replaying to a real candidate, a dashboard over their results.
 */
class FleetDiffIT {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
  /** The candidate answers after this: a worker's throughput is its in-flight cap over it, as with a real service. */
  private static final long CANDIDATE_MILLIS = 20;
  private static final int MAX_INFLIGHT = 8;
  private static final String USER = "{\"id\":%d,\"name\":\"Ada\",\"plan\":\"pro\"}";
  private static final String ORDER = "{\"id\":%d,\"items\":[1,2,3],\"total\":9.5}";
  private static final String HEALTH = "{\"ok\":true}";

  @TempDir Path dir;
  private Vertx vertx;
  private HttpServer candidate;
  private final List<DiffWorker> workers = new ArrayList<>();
  private final List<FleetDashboard> dashboards = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  @BeforeEach
  void startCandidate() throws Exception {
    vertx = Vertx.vertx();
    // v2: the same answers, except that users are now called "Ada L.".
    candidate = vertx.createHttpServer().requestHandler(req -> vertx.setTimer(CANDIDATE_MILLIS, t -> {
      String[] path = req.path().split("/");
      String body = switch (path[1]) {
        case "users" -> String.format(Locale.ROOT, USER, Integer.parseInt(path[2])).replace("\"Ada\"", "\"Ada L.\"");
        case "orders" -> String.format(Locale.ROOT, ORDER, Integer.parseInt(path[2]));
        default -> HEALTH;
      };
      req.response().putHeader("content-type", "application/json").end(body);
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopEverything() throws Exception {
    workers.forEach(DiffWorker::stop);
    dashboards.forEach(FleetDashboard::stop);
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void twoWorkersShareThePartitionsSurviveAKillAndTheDashboardCountsEachExchangeOnce() throws Exception {
    int n = 1800;
    // One worker alone first, for the throughput comparison.
    createTopic("solo-exchanges", 6);
    createTopic("solo-results", 3);
    DiffWorker solo = startWorker("solo-exchanges", "solo-results", "solo");
    await().atMost(Duration.ofSeconds(20)).until(() -> solo.stats().partitions() == 6);
    publishExchanges("solo-exchanges", 600);
    long soloStart = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(() -> solo.stats().published() == 600);
    double soloRate = 600 / ((System.nanoTime() - soloStart) / 1e9);
    solo.stop();

    createTopic("fleet-exchanges", 6);
    createTopic("fleet-results", 3);
    FleetDashboard dashboard = startDashboard("fleet-results");
    DiffWorker first = startWorker("fleet-exchanges", "fleet-results", "fleet");
    DiffWorker second = startWorker("fleet-exchanges", "fleet-results", "fleet");
    await().atMost(Duration.ofSeconds(30))
        .until(() -> first.stats().partitions() == 3 && second.stats().partitions() == 3);
    publishExchanges("fleet-exchanges", n);
    long fleetStart = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(() -> first.stats().published() + second.stats().published() >= n / 3);
    double fleetRate = (first.stats().published() + second.stats().published())
        / ((System.nanoTime() - fleetStart) / 1e9);
    assertTrue(first.stats().published() > 0 && second.stats().published() > 0,
        first.stats().published() + " / " + second.stats().published());

    second.abort();
    long killed = System.nanoTime();
    await().atMost(SESSION_TIMEOUT.plusSeconds(15)).until(() -> first.stats().partitions() == 6);
    double takeOverSeconds = (System.nanoTime() - killed) / 1e9;
    await().atMost(Duration.ofSeconds(40)).until(() -> dashboard.results().recorded() >= n
        && first.stats().replay().lag() == 0 && first.inflight() == 0);
    System.out.printf(Locale.ROOT, "fleet diff: 1 worker %.0f records/s; 2 workers %.0f records/s "
        + "(candidate %d ms, max-inflight %d each); survivor held all partitions %.1f s after the kill; "
        + "published: survivor %d, killed %d; duplicates dropped by the dashboard: %d%n", soloRate, fleetRate,
        CANDIDATE_MILLIS, MAX_INFLIGHT, takeOverSeconds, first.stats().published(), second.stats().published(),
        dashboard.results().duplicates());

    JsonObject endpoints = endpointsOnceCounted(dashboard, n);
    assertEquals(n, endpoints.getJsonObject("totals").getLong("requests"), endpoints.encode());
    assertEquals(n / 3, endpoints.getJsonObject("totals").getLong("differing"), endpoints.encode());
    JsonArray rows = endpoints.getJsonArray("endpoints");
    assertEquals(3, rows.size(), endpoints.encode());
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      String key = row.getString("endpoint");
      // Fields that count (an ignored one, like Content-Length, is listed struck through, not counted).
      JsonArray fields = new JsonArray(get(dashboard, "/api/diff/endpoint?key="
          + URLEncoder.encode(key, StandardCharsets.UTF_8)).getJsonArray("fields").stream()
          .filter(f -> !"IGNORED".equals(((JsonObject) f).getString("classification"))).toList());
      assertEquals(n / 3, row.getLong("requests"), row.encode());
      if (key.startsWith("GET /users/")) {
        assertEquals(n / 3, row.getLong("differing"), row.encode());
        assertEquals(1, fields.size(), fields.encode());
        assertEquals("body.name", fields.getJsonObject(0).getString("path"));
        assertEquals(n / 3, fields.getJsonObject(0).getLong("raw"));
        assertEquals("REAL", fields.getJsonObject(0).getString("classification"));
      } else {
        assertEquals(0, row.getLong("differing"), row.encode());
        assertEquals(0, fields.size(), fields.encode());
      }
    }
  }

  @Test
  void aWorkerProcessKilledWithSigkillHandsItsPartitionsToTheSurvivorAndNoExchangeIsLostOrCountedTwice()
      throws Exception {
    int n = 900;
    createTopic("crash-exchanges", 6);
    createTopic("crash-results", 3);
    FleetDashboard dashboard = startDashboard("crash-results");
    // Paced so that exchanges are still flowing when one worker dies: 2 x 40/s against 900 exchanges.
    Process first = launchWorker("crash-exchanges", "crash-results", "crash", 40);
    Process second = launchWorker("crash-exchanges", "crash-results", "crash", 40);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> partitionsByMember(admin, "crash")
          .values().stream().filter(held -> held == 3).count() == 2);
      publishExchanges("crash-exchanges", n);
      await().atMost(Duration.ofSeconds(30)).until(() -> dashboard.results().recorded() >= n / 4);

      second.destroyForcibly(); // SIGKILL: no leave-group, no last commit
      long killed = System.nanoTime();
      assertTrue(second.waitFor(10, TimeUnit.SECONDS));
      String survivor = first.pid() + "@";
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> partitionsByMember(admin, "crash").equals(Map.of(survivor, 6)));
      double takeOverSeconds = (System.nanoTime() - killed) / 1e9;
      long recordedAtTakeOver = dashboard.results().recorded();
      await().atMost(Duration.ofSeconds(40)).until(() -> dashboard.results().recorded() >= n);
      System.out.printf(Locale.ROOT, "fleet failover: worker process killed (SIGKILL) with %d of %d results "
          + "recorded; the survivor held all 6 partitions %.1f s later (session timeout %d s); duplicates dropped "
          + "by the dashboard: %d%n", recordedAtTakeOver, n, takeOverSeconds, SESSION_TIMEOUT.toSeconds(),
          dashboard.results().duplicates());
      assertTrue(first.isAlive(), "the survivor exited with " + (first.isAlive() ? "" : first.exitValue()));
      assertTrue(recordedAtTakeOver < n, "nothing was left for the survivor to take over: " + recordedAtTakeOver);
    } finally {
      first.destroy();
      second.destroyForcibly();
      first.waitFor(30, TimeUnit.SECONDS);
    }

    JsonObject totals = endpointsOnceCounted(dashboard, n).getJsonObject("totals");
    assertEquals(n, totals.getLong("requests"), totals.encode());
    assertEquals(n / 3, totals.getLong("differing"), totals.encode());
  }

  @Test
  void countsBadRecordsAndRecordsWithoutAPrimaryAsSkippedByReasonAndCarriesOn() throws Exception {
    createTopic("bad-exchanges", 1);
    createTopic("bad-results", 1);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      byte[] good = exchange("g1", "/health", HEALTH, true);
      send(producer, "bad-exchanges", ExchangeRecordFormat.FORMAT_V1, "{not json".getBytes(StandardCharsets.UTF_8));
      send(producer, "bad-exchanges", "exchange-json-v9", good);
      send(producer, "bad-exchanges", ExchangeRecordFormat.FORMAT_V1, new JsonObject(Buffer.buffer(good))
          .put("body", "%%%").encode().getBytes(StandardCharsets.UTF_8));
      send(producer, "bad-exchanges", ExchangeRecordFormat.FORMAT_V1, exchange("n1", "/health", HEALTH, false));
      send(producer, "bad-exchanges", ExchangeRecordFormat.FORMAT_V1, good);
      send(producer, "bad-exchanges", ExchangeRecordFormat.FORMAT_V1, exchange("g2", "/users/7",
          String.format(Locale.ROOT, USER, 7), true));
    }
    DiffWorker worker = startWorker("bad-exchanges", "bad-results", "bad");

    await().atMost(Duration.ofSeconds(30)).until(() -> worker.stats().published() == 2);

    assertEquals(Map.of("not_json", 1L, "unknown_format", 1L, "bad_base64", 1L, "no_primary", 1L),
        worker.stats().replay().skippedByReason());
    List<String> published = KAFKA.readRecords("bad-results", 2, Duration.ofSeconds(10)).stream()
        .map(r -> r.key()).sorted().toList();
    // Published as the candidate answers: two exchanges in flight at once may finish in either order.
    assertEquals(List.of("GET /health", "GET /users/{id}"), published);
  }

  private DiffWorker startWorker(String topic, String results, String group) {
    WorkerOptions options = new WorkerOptions(KAFKA.bootstrapServers(), topic,
        URI.create("http://127.0.0.1:" + candidate.actualPort()), Optional.empty(), results, group, 0, MAX_INFLIGHT,
        Duration.ofSeconds(5), 64 * 1024, true, Optional.of(SESSION_TIMEOUT), Optional.empty(), false);
    DiffWorker worker = new DiffWorker(options, DiffConfig.defaults(), HeaderMask.none(), vertx, "test-worker-" + workers.size());
    workers.add(worker);
    run("worker-" + workers.size(), () -> worker.run());
    return worker;
  }

  /**
   * Creates a topic and waits until a client's metadata shows all its partitions: the broker acknowledges the creation
   * before its metadata is served, and a dashboard started in between exits with "no topic".
   */
  private static void createTopic(String name, int partitions) {
    KAFKA.createTopic(name, partitions);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      await().atMost(Duration.ofSeconds(30))
          .until(() -> consumer.partitionsFor(name, Duration.ofSeconds(5)).size() == partitions);
    }
  }

  /** {@code java -jar shadowcar.jar diff-worker ...} as its own process, its output in a file of the test's dir. */
  private Process launchWorker(String topic, String results, String group, int rate) throws Exception {
    Path jar = Path.of(System.getProperty("test.sidecar.jar", "target/shadowcar.jar"));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", jar.toString(), "diff-worker", "--bootstrap", KAFKA.bootstrapServers(), "--topic", topic,
        "--candidate", "http://127.0.0.1:" + candidate.actualPort(), "--results-topic", results, "--group", group,
        "--from", "earliest", "--rate", String.valueOf(rate), "--max-inflight", String.valueOf(MAX_INFLIGHT),
        "--session-timeout", SESSION_TIMEOUT.toSeconds() + "s");
    Path output = Files.createTempFile(dir, "diff-worker", ".log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  /** Partitions held per member of {@code group}, members named by their process ("pid@"). */
  private static Map<String, Integer> partitionsByMember(Admin admin, String group) throws Exception {
    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
        .get(group).get(10, TimeUnit.SECONDS);
    Map<String, Integer> held = new HashMap<>();
    for (MemberDescription member : description.members()) {
      String process = member.clientId().replaceFirst("^shadowcar-diff-worker-(\\d+@).*$", "$1");
      held.merge(process, member.assignment().topicPartitions().size(), Integer::sum);
    }
    return held;
  }

  private FleetDashboard startDashboard(String results) throws Exception {
    DashboardOptions options = new DashboardOptions(KAFKA.bootstrapServers(), results, "dashboard",
        dir.resolve("data"), "127.0.0.1", 0, 100_000, Optional.empty(), false);
    FleetDashboard dashboard = FleetDashboard.start(options, DiffConfig.defaults(), DashboardConfig.defaults(),
        List.of(), Optional.empty(), vertx);
    threads.add(new Thread(() -> {
      try {
        dashboard.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        dashboard.close();
      }
    }, "dashboard"));
    threads.get(threads.size() - 1).start();
    dashboards.add(dashboard);
    return dashboard;
  }

  private void run(String name, ThrowingRunnable body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, name);
    threads.add(thread);
    thread.start();
  }

  private interface ThrowingRunnable {
    Object run() throws Exception;
  }

  /**
   * The endpoints page once it counts at least {@code n} requests: the page may lag the consumer's count by a moment.
   * More than {@code n} (a result counted twice) fails the caller's equality.
   */
  private static JsonObject endpointsOnceCounted(FleetDashboard dashboard, int n) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> get(dashboard, "/api/diff/endpoints"),
        page -> page.getJsonObject("totals").getLong("requests") >= n);
  }

  private static JsonObject get(FleetDashboard dashboard, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + dashboard.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** N exchanges over three endpoints, as a sidecar's Kafka sink publishes them: request plus recorded primary. */
  private static void publishExchanges(String topic, int n) throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = topic + "-" + i;
        int k = i / 3;
        byte[] value = switch (i % 3) {
          case 0 -> exchange(id, "/users/" + k, String.format(Locale.ROOT, USER, k), true);
          case 1 -> exchange(id, "/orders/" + k, String.format(Locale.ROOT, ORDER, k), true);
          default -> exchange(id, "/health", HEALTH, true);
        };
        sent.add(producer.send(record(topic, id, ExchangeRecordFormat.FORMAT_V1, value)));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static byte[] exchange(String id, String uri, String primaryBody, boolean withPrimary) {
    TeeEvent event = new TeeEvent(id, HttpMethod.GET, uri, "default",
        List.of(Map.entry("Host", "api.internal"), Map.entry("X-Request-Id", id)), Buffer.buffer(), Set.of("kafka"),
        Future.<CapturedResponse>succeededFuture(), () -> { });
    if (!withPrimary) {
      return ExchangeRecordFormat.encode(event, System.currentTimeMillis(), null,
          ExchangeRecordFormat.PrimaryError.TIMEOUT);
    }
    byte[] body = primaryBody.getBytes(StandardCharsets.UTF_8);
    CapturedResponse primary = new CapturedResponse(200, List.of(Map.entry("content-type", "application/json"),
        Map.entry("content-length", String.valueOf(body.length))), Buffer.buffer(body), false, body.length,
        Duration.ofMillis(CANDIDATE_MILLIS + 5));
    return ExchangeRecordFormat.encode(event, System.currentTimeMillis(), primary, null);
  }

  private static ProducerRecord<String, byte[]> record(String topic, String key, String format, byte[] value) {
    return new ProducerRecord<>(topic, null, key, value,
        List.of(new RecordHeader(ExchangeRecordFormat.FORMAT_HEADER, format.getBytes(StandardCharsets.US_ASCII))));
  }

  private static void send(KafkaProducer<String, byte[]> producer, String topic, String format, byte[] value)
      throws Exception {
    producer.send(record(topic, null, format, value)).get(30, TimeUnit.SECONDS);
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }
}
