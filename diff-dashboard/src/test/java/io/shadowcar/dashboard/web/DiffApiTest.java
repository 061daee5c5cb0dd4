package io.shadowcar.dashboard.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shadowcar.dashboard.DiffMetrics;
import io.shadowcar.dashboard.Exchanges;
import io.shadowcar.diff.ExchangeSample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private DashboardServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    server = new DashboardServer(dir);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<String> call(String method, String path, String body, boolean withToken) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (withToken) {
      b.header(DashboardServer.TOKEN_HEADER, DashboardServer.TOKEN);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = call("GET", path, null, false);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private Map<String, JsonNode> endpointsByKey() throws Exception {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    get("/api/diff/endpoints").get("endpoints").forEach(e -> out.put(e.get("endpoint").asText(), e));
    return out;
  }

  private void feedAndAwait() {
    server.feedAll();
    await().until(() -> get("/api/diff/endpoints").get("totals").get("requests").asLong() == 5L * Exchanges.ROUNDS);
  }

  @Test
  void endpointListReportsExactlyTheChangedNoisySameFailingAndSlowerEndpoints() throws Exception {
    feedAndAwait();
    JsonNode list = get("/api/diff/endpoints");
    Map<String, JsonNode> byKey = endpointsByKey();
    assertEquals(List.of(Exchanges.CHANGED, Exchanges.FAILING, Exchanges.NOISY, Exchanges.SAME, Exchanges.SLOWER)
        .stream().sorted().toList(), byKey.keySet().stream().sorted().toList());
    int n = Exchanges.ROUNDS;

    JsonNode changed = byKey.get(Exchanges.CHANGED);
    assertEquals(n, changed.get("requests").asLong());
    assertEquals(n, changed.get("differing").asLong());
    assertEquals(100.0, changed.get("differingRate").asDouble());
    assertEquals(1, changed.get("realFields").asInt());
    assertTrue(changed.get("flagged").asBoolean());
    assertFalse(changed.get("slower").asBoolean());
    assertFalse(changed.get("failing").asBoolean());

    JsonNode noisy = byKey.get(Exchanges.NOISY);
    assertEquals(0, noisy.get("differing").asLong());
    assertEquals(n, noisy.get("noise").asLong());
    assertEquals(0, noisy.get("realFields").asInt());
    assertEquals(1, noisy.get("noiseFields").asInt());
    assertFalse(noisy.get("flagged").asBoolean());

    JsonNode same = byKey.get(Exchanges.SAME);
    assertEquals(n, same.get("requests").asLong());
    assertEquals(0, same.get("differing").asLong());
    assertEquals(0, same.get("noise").asLong());
    assertFalse(same.get("flagged").asBoolean());

    JsonNode failing = byKey.get(Exchanges.FAILING);
    assertTrue(failing.get("failing").asBoolean());
    assertEquals(100.0, failing.get("candidate").get("errorRate").asDouble());
    assertEquals(0.0, failing.get("primary").get("errorRate").asDouble());
    assertEquals(n, failing.get("candidate").get("serverErrors").asLong());
    assertEquals(n, failing.get("differing").asLong());

    JsonNode slower = byKey.get(Exchanges.SLOWER);
    assertTrue(slower.get("slower").asBoolean());
    assertEquals(0, slower.get("differing").asLong());
    assertTrue(slower.get("candidate").get("p99Micros").asLong() >= 3 * 0.95 * slower.get("primary")
        .get("p99Micros").asLong());
    assertEquals("secondary", slower.get("latencyBaseline").asText());
    assertEquals(n, slower.get("secondary").get("answers").asLong());
    assertTrue(slower.get("candidate").get("p99Micros").asLong() >= 3 * 0.95 * slower.get("secondary")
        .get("p99Micros").asLong());
    assertTrue(slower.get("flagged").asBoolean());

    List<String> order = new ArrayList<>();
    list.get("endpoints").forEach(e -> order.add(e.get("endpoint").asText()));
    assertEquals(Exchanges.SLOWER, order.get(2), "flagged before unflagged at the same rate: " + order);
    assertEquals(Exchanges.CHANGED + "|" + Exchanges.FAILING, order.subList(0, 2).stream().sorted()
        .reduce((a, b) -> a + "|" + b).orElseThrow(), "highest difference rate first: " + order);
    assertEquals(20.0, list.get("thresholds").get("relativePercent").asDouble());
    assertEquals(0.03, list.get("thresholds").get("absolutePercent").asDouble());
    // every request counted once in the per-minute trend, whichever minute the wall clock put it in (feeding and
    // reading can straddle a minute's end)
    long trendRequests = 0;
    for (JsonNode minute : list.get("endpoints").get(0).get("trend").get("requests")) {
      trendRequests += minute.asLong();
    }
    assertEquals(n, trendRequests);
  }

  @Test
  void anEndpointWithoutASecondaryHasNoSecondarySideAndIsJudgedAgainstThePrimary() throws Exception {
    feedAndAwait();
    for (int i = 0; i < Exchanges.ROUNDS; i++) {
      server.recorder.record(new ExchangeSample(Exchanges.get("/alone"), Exchanges.json(200, "{}", 10),
          Exchanges.json(200, "{}", 30), null));
    }
    await().until(() -> endpointsByKey().containsKey("GET /alone")
        && endpointsByKey().get("GET /alone").get("requests").asLong() == Exchanges.ROUNDS);
    JsonNode summary = get("/api/diff/endpoint?key=" + q("GET /alone")).get("summary");
    assertTrue(summary.get("secondary").isNull(), summary::toPrettyString);
    assertEquals("primary", summary.get("latencyBaseline").asText());
    assertTrue(summary.get("slower").asBoolean());
    JsonNode search = get("/api/diff/endpoint?key=" + q(Exchanges.SLOWER)).get("summary");
    assertEquals("secondary", search.get("latencyBaseline").asText());
    assertEquals(Exchanges.ROUNDS, search.get("secondary").get("requests").asLong());
  }

  @Test
  void endpointDetailClassifiesFieldsAndCountsExamples() throws Exception {
    feedAndAwait();
    JsonNode changed = get("/api/diff/endpoint?key=" + q(Exchanges.CHANGED));
    assertEquals(1, changed.get("fields").size());
    JsonNode name = changed.get("fields").get(0);
    assertEquals("body.name", name.get("path").asText());
    assertEquals(Exchanges.ROUNDS, name.get("raw").asLong());
    assertEquals(0, name.get("noise").asLong());
    assertEquals("REAL", name.get("classification").asText());
    assertEquals(Exchanges.ROUNDS, name.get("kinds").get("VALUE_CHANGED").asLong());
    assertEquals(5, name.get("samples").asInt());
    assertEquals(Exchanges.ROUNDS, changed.get("differentSamples").asInt());
    assertEquals(20.0, changed.get("thresholds").get("relativePercent").asDouble());

    JsonNode ts = get("/api/diff/endpoint?key=" + q(Exchanges.NOISY)).get("fields").get(0);
    assertEquals("body.ts", ts.get("path").asText());
    assertEquals("NOISE", ts.get("classification").asText());
    assertEquals(Exchanges.ROUNDS, ts.get("noise").asLong());
    assertEquals(50.0, ts.get("noiseShare").asDouble());

    assertEquals(0, get("/api/diff/endpoint?key=" + q(Exchanges.SAME)).get("fields").size());
    JsonNode failingFields = get("/api/diff/endpoint?key=" + q(Exchanges.FAILING)).get("fields");
    List<String> paths = new ArrayList<>();
    failingFields.forEach(f -> paths.add(f.get("path").asText()));
    assertTrue(paths.contains("status"), paths.toString());
    assertEquals(404, call("GET", "/api/diff/endpoint?key=" + q("GET /nothing"), null, false).statusCode());
    assertEquals(400, call("GET", "/api/diff/endpoint", null, false).statusCode());
  }

  @Test
  void samplesShowThreeSidesTheDifferingPathAndACurlCommand() throws Exception {
    feedAndAwait();
    JsonNode doc = get("/api/diff/samples?endpoint=" + q(Exchanges.CHANGED) + "&field=body.name");
    assertEquals(5, doc.get("samples").size());
    JsonNode s = doc.get("samples").get(0);
    assertEquals("DIFFERENT", s.get("verdict").asText());
    assertEquals("[\"body.name\"]", s.get("fieldPaths").toString());
    assertEquals("\"Ada\"", s.get("differences").get(0).get("primary").asText());
    assertEquals("\"Ada L.\"", s.get("differences").get(0).get("candidate").asText());
    assertEquals(200, s.get("primary").get("status").asInt());
    assertTrue(s.get("candidate").get("body").get("text").asText().contains("Ada L."));
    assertTrue(s.get("secondary").get("body").get("text").asText().contains("\"Ada\""));
    assertEquals("application/json", s.get("primary").get("headers").get(0).get("value").asText());
    assertEquals("curl -sS 'http://api.local/users/109'", s.get("request").get("curl").asText());

    JsonNode order = get("/api/diff/samples?endpoint=" + q(Exchanges.FAILING) + "&field=status")
        .get("samples").get(0);
    assertEquals(500, order.get("candidate").get("status").asInt());
    assertTrue(order.get("request").get("body").get("text").asText().startsWith("{\"item\":\"it's"));
    assertTrue(order.get("request").get("curl").asText().startsWith(
        "curl -sS -X POST 'http://shop.local/orders' -H 'Content-Type: application/json' --data-binary "
            + "'{\"item\":\"it'\\''s "), order.get("request").get("curl").asText());

    assertEquals(Exchanges.ROUNDS, get("/api/diff/samples?endpoint=" + q(Exchanges.SAME) + "&kind=same")
        .get("samples").size());
    assertEquals(0, get("/api/diff/samples?endpoint=" + q(Exchanges.SAME) + "&kind=different&minutes=5")
        .get("samples").size());
    assertEquals(0, get("/api/diff/samples?endpoint=" + q(Exchanges.CHANGED) + "&field=body.name&since="
        + (System.currentTimeMillis() + 60_000)).get("samples").size());
    assertEquals(400, call("GET", "/api/diff/samples?endpoint=" + q(Exchanges.SAME), null, false).statusCode());
  }

  @Test
  void ignoreRulesNeedTheGuardAreListedApplyAndAreRemovable() throws Exception {
    String rule = "{\"kind\":\"path\",\"pattern\":\"body.name\",\"endpoint\":\"" + Exchanges.CHANGED + "\"}";
    assertEquals(403, call("POST", "/api/diff/rules", rule, false).statusCode());
    assertEquals(400, call("POST", "/api/diff/rules", "{\"kind\":\"cookie\",\"pattern\":\"x\"}", true)
        .statusCode());
    assertEquals(400, call("POST", "/api/diff/rules", "not json", true).statusCode());
    HttpResponse<String> created = call("POST", "/api/diff/rules", rule, true);
    assertEquals(201, created.statusCode(), created.body());
    long id = JSON.readTree(created.body()).get("id").asLong();
    assertEquals("body.name", get("/api/diff/rules").get("rules").get(0).get("pattern").asText());

    server.recorder.record(Exchanges.changedField(1));
    await().until(() -> get("/api/diff/endpoints").get("totals").get("requests").asLong() == 1);
    JsonNode field = get("/api/diff/endpoint?key=" + q(Exchanges.CHANGED)).get("fields").get(0);
    assertEquals("IGNORED", field.get("classification").asText());
    assertEquals(1, field.get("ignored").asLong());
    assertEquals(1, get("/api/diff/endpoint?key=" + q(Exchanges.CHANGED)).get("rules").size());

    assertEquals(403, call("DELETE", "/api/diff/rules/" + id, null, false).statusCode());
    assertEquals(200, call("DELETE", "/api/diff/rules/" + id, null, true).statusCode());
    assertEquals(404, call("DELETE", "/api/diff/rules/" + id, null, true).statusCode());
    assertEquals(0, get("/api/diff/rules").get("rules").size());
  }

  @Test
  void clearForgetsResultsBehindTheGuard() throws Exception {
    feedAndAwait();
    assertEquals(403, call("POST", "/api/diff/clear", null, false).statusCode());
    assertEquals(5, get("/api/diff/endpoints").get("endpoints").size());
    assertEquals(200, call("POST", "/api/diff/clear", null, true).statusCode());
    assertEquals(0, get("/api/diff/endpoints").get("endpoints").size());
    assertEquals(0, get("/api/diff/samples?endpoint=" + q(Exchanges.CHANGED) + "&field=body.name")
        .get("samples").size());
  }

  @Test
  void statusShowsTheStoreAndThePolicy() throws Exception {
    JsonNode status = get("/api/diff/status");
    assertTrue(status.get("enabled").asBoolean());
    assertEquals(100.0, status.get("samplePercent").asDouble());
    assertTrue(status.get("store").get("ok").asBoolean());
    assertTrue(status.get("store").get("path").asText().endsWith("diff.db"));
  }

  @Test
  void metricsCountEachVerdict() {
    // same: the identical and the slower endpoint; different: the changed field and the 500; noise: the timestamp
    server.feedAll();
    int n = Exchanges.ROUNDS;
    assertEquals(2.0 * n, server.registry.get(DiffMetrics.EXCHANGES).tag("result", "same").counter().count());
    assertEquals(2.0 * n, server.registry.get(DiffMetrics.EXCHANGES).tag("result", "different").counter().count());
    assertEquals(1.0 * n, server.registry.get(DiffMetrics.EXCHANGES).tag("result", "noise").counter().count());
  }

  @Test
  void pageAndAssetsAreServedFromTheJar() throws Exception {
    HttpResponse<String> page = call("GET", "/diff", null, false);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("diff/ui/dashboard.js"));
    HttpResponse<String> js = call("GET", "/diff/ui/dashboard.js", null, false);
    assertEquals(200, js.statusCode());
    assertTrue(js.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
    assertTrue(js.body().lines().count() < 600, "the page script stays small");
    assertEquals(200, call("GET", "/diff/ui/dashboard.css", null, false).statusCode());
  }

  @Test
  void eventStreamSaysHelloThenSummarisesRecordedExchanges() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/api/diff/events"))).build();
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    Iterator<String> lines = response.body().iterator();
    CompletableFuture<List<String>> untilHello = CompletableFuture.supplyAsync(() -> readUntil(lines, "event: hello"));
    untilHello.get(10, TimeUnit.SECONDS);
    server.feedAll();
    CompletableFuture<List<String>> untilSummary = CompletableFuture.supplyAsync(() -> {
      readUntil(lines, "event: exchanges");
      return List.of(lines.next());
    });
    String data = untilSummary.get(10, TimeUnit.SECONDS).get(0);
    assertTrue(data.startsWith("data: {\"type\":\"exchanges\""), data);
    JsonNode event = JSON.readTree(data.substring("data: ".length()));
    assertTrue(event.get("different").asLong() > 0, data);
    response.body().close();
  }

  private static List<String> readUntil(Iterator<String> lines, String wanted) {
    List<String> seen = new ArrayList<>();
    while (lines.hasNext()) {
      String line = lines.next();
      seen.add(line);
      if (line.equals(wanted)) {
        return seen;
      }
    }
    throw new IllegalStateException(new IOException("stream ended before " + wanted + ": " + seen));
  }
}
