package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The real jar with a primary (v1), a secondary (v1 again) and a candidate (v2): the diff tells the candidate's real
 * change from the timestamp every instance varies, sees its 500s and its slowness, and keeps it all across a restart.
 * The candidate's /search takes {@link #SEARCH_CANDIDATE_MS} against the others' 5 ms, so a pause of the machine on
 * the baseline's side (p99 of 40 samples is about their maximum) cannot hide it.
 */
class DiffThroughJarIT extends JarTestSupport {

  private static final int PER_ENDPOINT = 40;
  /** Requests to /health-info before the others, so no side's latency holds the cold start of the JVMs. */
  private static final int WARM_UP = 10;
  private static final String USERS = "GET /users/{id}";
  /**
   * How long every side takes for a user: an endpoint that answers in a millisecond is flagged slower by any 3 ms
   * scheduling hiccup on a busy test machine (its p99 over 40 samples is one request), one that takes 20 ms only by a
   * 40 ms one.
   */
  private static final long USERS_MS = 20;
  private static final String HEALTH_INFO = "GET /health-info";
  private static final String ORDERS = "GET /orders/{id}";
  private static final String SEARCH = "GET /search";
  /**
   * The candidate's /search: with the factor of 3 below, only a baseline p99 over 660 ms hides it. A busy CI machine
   * was seen to stall one baseline answer by 118 ms, which hid a 150 ms candidate.
   */
  private static final long SEARCH_CANDIDATE_MS = 2000;
  /**
   * How much slower than the baseline a candidate's p99 must also be: with 40 samples a p99 is one request, and a
   * busy CI machine once stalled a single 1 ms answer of the candidate's /health-info long enough to flag it slower.
   * The unchanged endpoints are now flagged only by a stall of a second, and /search (2 s against 5 ms) still is.
   */
  private static final long MIN_DELTA_MS = 1000;

  private final AtomicLong clock = new AtomicLong();
  private final RecordingBackend primary = backend((request, response) -> v1(request, response, "primary"));
  private final RecordingBackend secondary = backend((request, response) -> v1(request, response, "secondary"));
  private final RecordingBackend candidate = backend((request, response) -> {
    String path = URI.create(request.uri()).getPath();
    if (path.startsWith("/users/")) {
      String body = user(path, "gold", "candidate");
      vertx.setTimer(USERS_MS, id -> response.putHeader("content-type", "application/json").end(body));
    } else if (path.startsWith("/orders/")) {
      response.setStatusCode(500).putHeader("content-type", "application/json").end(order(path));
    } else if (path.equals("/search")) {
      vertx.setTimer(SEARCH_CANDIDATE_MS,
          id -> response.putHeader("content-type", "application/json").end("{\"hits\":[1,2]}"));
    } else {
      response.putHeader("content-type", "application/json").end("{\"ok\":true}");
    }
  });
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Version 1: the primary and the secondary answer alike, except for their own timestamps. */
  private void v1(RecordingBackend.Recorded request, io.vertx.core.http.HttpServerResponse response, String who) {
    String path = URI.create(request.uri()).getPath();
    response.putHeader("content-type", "application/json");
    if (path.startsWith("/users/")) {
      String body = user(path, "silver", who);
      vertx.setTimer(USERS_MS, id -> response.end(body));
    } else if (path.startsWith("/orders/")) {
      response.end(order(path));
    } else if (path.equals("/search")) {
      vertx.setTimer(5, id -> response.end("{\"hits\":[1,2]}"));
    } else {
      response.end("{\"ok\":true}");
    }
  }

  /** A user whose {@code generatedAt} differs on every answer of every instance. */
  private String user(String path, String tier, String who) {
    String id = path.substring("/users/".length());
    return "{\"id\":" + id + ",\"name\":\"Ada\",\"tier\":\"" + tier + "\",\"generatedAt\":\"" + who + "-"
        + clock.incrementAndGet() + "-" + System.nanoTime() + "\"}";
  }

  private static String order(String path) {
    return "{\"order\":" + path.substring("/orders/".length()) + ",\"state\":\"shipped\"}";
  }

  /** Each start of one test has the same {@link #dataDir()}. */
  private SidecarProcess start() throws Exception {
    return launch(config(
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.targets=" + candidate.uri(),
        "shadowcar.shadow.secondary.targets=" + secondary.uri(),
        "shadowcar.diff.latency.minSamples=20",
        // /search is 120x slower on the candidate; with 40 samples a p99 is one request, so a single scheduling hiccup
        // on a busy test machine can make an unchanged endpoint 1.2x slower: the factor here tells the two apart.
        "shadowcar.diff.latency.factor=3",
        "shadowcar.diff.latency.minDelta.ms=" + MIN_DELTA_MS,
        "shadowcar.diff.store.flush.ms=100",
        "shadowcar.proxy.drainSeconds=5"));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Map<String, JsonObject> endpoints(String admin) throws Exception {
    JsonArray rows = new JsonObject(get(admin + "/api/diff/endpoints").body()).getJsonArray("endpoints");
    Map<String, JsonObject> byKey = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      byKey.put(rows.getJsonObject(i).getString("endpoint"), rows.getJsonObject(i));
    }
    return byKey;
  }

  /** Field path → classification of one endpoint, ignored paths left out. */
  private Map<String, String> fields(String admin, String endpoint) throws Exception {
    String key = URLEncoder.encode(endpoint, StandardCharsets.UTF_8);
    JsonArray rows = new JsonObject(get(admin + "/api/diff/endpoint?key=" + key).body()).getJsonArray("fields");
    Map<String, String> fields = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonObject field = rows.getJsonObject(i);
      if (!field.getString("classification").equals("IGNORED")) {
        fields.put(field.getString("path"), field.getString("classification"));
      }
    }
    return fields;
  }

  private boolean allCompared(String admin) throws Exception {
    Map<String, JsonObject> rows = endpoints(admin);
    return rows.keySet().containsAll(java.util.List.of(USERS, HEALTH_INFO, ORDERS, SEARCH))
        && rows.entrySet().stream().allMatch(row -> row.getValue().getLong("requests")
            == (row.getKey().equals(HEALTH_INFO) ? PER_ENDPOINT + WARM_UP : PER_ENDPOINT));
  }

  private void assertResults(String admin) throws Exception {
    Map<String, JsonObject> rows = endpoints(admin);
    assertEquals(java.util.Set.of(USERS, HEALTH_INFO, ORDERS, SEARCH), rows.keySet());

    assertEquals(Map.of("body.tier", "REAL", "body.generatedAt", "NOISE"), fields(admin, USERS));
    assertEquals(1, rows.get(USERS).getInteger("realFields"));
    assertEquals(1, rows.get(USERS).getInteger("noiseFields"));
    assertEquals(PER_ENDPOINT, rows.get(USERS).getLong("differing"));

    assertEquals(Map.of(), fields(admin, HEALTH_INFO));
    assertEquals(0, rows.get(HEALTH_INFO).getLong("differing"));
    assertEquals(0, rows.get(HEALTH_INFO).getLong("noise"));
    assertFalse(rows.get(HEALTH_INFO).getBoolean("flagged"));

    assertEquals(Map.of("status", "REAL"), fields(admin, ORDERS));
    assertTrue(rows.get(ORDERS).getBoolean("failing"));
    assertEquals(PER_ENDPOINT, rows.get(ORDERS).getJsonObject("candidate").getLong("serverErrors"));
    assertEquals(0, rows.get(ORDERS).getJsonObject("primary").getLong("serverErrors"));

    assertEquals(Map.of(), fields(admin, SEARCH));
    assertTrue(rows.get(SEARCH).getBoolean("slower"), rows.get(SEARCH)::encodePrettily);
    assertFalse(rows.get(SEARCH).getBoolean("failing"));
    assertFalse(rows.get(USERS).getBoolean("slower"));
  }

  @Test
  void tellsRealDifferencesFromNoiseFlagsFailingAndSlowEndpointsAndKeepsThemAcrossARestart() throws Exception {
    try (SidecarProcess sidecar = start()) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();
      String admin = "http://127.0.0.1:" + sidecar.adminPort();
      for (int i = 0; i < WARM_UP; i++) {
        assertEquals(200, get(proxy + "/health-info").statusCode());
      }
      for (int i = 1; i <= PER_ENDPOINT; i++) {
        assertEquals(200, get(proxy + "/users/" + i).statusCode());
        assertEquals(200, get(proxy + "/health-info").statusCode());
        assertEquals(200, get(proxy + "/orders/" + i).statusCode());
        assertEquals(200, get(proxy + "/search?q=" + i).statusCode());
      }

      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> allCompared(admin));
      assertResults(admin);
      assertEquals(4 * PER_ENDPOINT + WARM_UP, secondary.requests().size(), "every copy also went to the secondary");
      String metrics = get(admin + "/metrics").body();
      assertTrue(metrics.contains("shadowcar_diff_exchanges_total{result=\"different\"} 80.0"), metrics);
      assertTrue(metrics.contains("shadowcar_diff_dropped_total{reason=\"queue_full\"} 0.0"), metrics);
      assertTrue(metrics.contains("shadowcar_shadow_secondary_copies_total{result=\"sent\",sink=\"http\"} 170.0"),
          metrics);

      sidecar.stopCleanly();
    }
    assertTrue(java.nio.file.Files.exists(dataDir().resolve("diff.db")));
    try (SidecarProcess again = start()) {
      String admin = "http://127.0.0.1:" + again.adminPort();
      assertTrue(allCompared(admin), "the results were restored at start");
      assertResults(admin);
    }
  }

  @Test
  void theStatusPageLinksTheDashboardWhichTakesChangesFromLoopback() throws Exception {
    // Every caller of a loopback-bound admin port is local: the refusal of others is AdminGuardTest's.
    try (SidecarProcess sidecar = start()) {
      String admin = "http://127.0.0.1:" + sidecar.adminPort();
      HttpResponse<String> cleared = http.send(HttpRequest.newBuilder(URI.create(admin + "/api/diff/clear"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, cleared.statusCode(), cleared.body());
      String page = get(admin + "/").body();
      assertTrue(page.contains("href=\"/diff\"") && page.contains("href=\"/metrics\""), page);
      assertEquals(200, get(admin + "/diff").statusCode());
    }
  }
}
