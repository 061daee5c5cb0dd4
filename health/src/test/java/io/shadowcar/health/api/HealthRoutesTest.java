package io.shadowcar.health.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.health.CheckStatus;
import io.shadowcar.health.HealthAgent;
import io.shadowcar.health.HealthConfig;
import io.shadowcar.health.StatusContributor;
import io.shadowcar.health.check.CheckDefinition;
import io.shadowcar.health.check.CheckTarget;
import io.shadowcar.health.check.Thresholds;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthRoutesTest {

  private static final Thresholds QUICK = new Thresholds(2, 1, 1);

  @TempDir Path dir;
  private Vertx vertx;
  private HealthAgent agent;
  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startVertx() {
    vertx = SidecarTransport.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void start(HealthConfig config) throws Exception {
    agent = new HealthAgent(vertx, config, new SimpleMeterRegistry());
    agent.start();
    Router router = Router.router(vertx);
    new HealthRoutes(agent).mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private HealthConfig withApp(Path killSwitch) {
    CheckDefinition app = CheckDefinition.of("app", new CheckTarget.Ttl(Duration.ofMinutes(5)), QUICK);
    return new HealthConfig(Thresholds.defaults(), Optional.ofNullable(killSwitch), Duration.ofMillis(50),
        Duration.ofSeconds(1), 429,
        List.of(app));
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  private void push(String result, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      assertEquals(200, send("PUT", "/api/checks/app/" + result + "?note=round%20" + i).statusCode());
    }
  }

  @Test
  void healthcheckIs503UntilReadyThen200PassingWithEveryCheckInTheJson() throws Exception {
    start(withApp(null));
    HttpResponse<String> starting = get("/healthcheck");
    assertEquals(503, starting.statusCode());
    assertEquals(503, send("HEAD", "/healthcheck").statusCode());
    assertEquals("critical\n", get("/healthcheck?format=text").body());
    assertEquals(503, get("/ready").statusCode());

    push("pass", 1);
    assertEquals(503, get("/ready").statusCode(), "one pass is not the streak");
    push("pass", 1);
    HttpResponse<String> ready = get("/healthcheck");
    assertEquals(200, ready.statusCode());
    JsonObject json = new JsonObject(ready.body());
    assertEquals("passing", json.getString("status"));
    JsonObject check = json.getJsonArray("checks").getJsonObject(0);
    assertEquals("app", check.getString("name"));
    assertEquals("ttl", check.getString("kind"));
    assertEquals("passing", check.getString("status"));
    assertEquals("round 0", check.getString("output"));
    assertEquals(2, check.getInteger("runs"));
    assertEquals("passing\n", get("/healthcheck?format=text").body());
    assertEquals(200, get("/ready").statusCode());
    assertEquals(200, send("HEAD", "/healthcheck").statusCode());
    assertEquals(200, send("HEAD", "/ready").statusCode());
  }

  @Test
  void warningIs429OrTheConfigured200AndCriticalIs503() throws Exception {
    start(withApp(null));
    push("warn", 2);
    assertEquals(429, get("/healthcheck").statusCode());
    assertEquals("warning\n", get("/healthcheck?format=text").body());
    push("fail", 1);
    assertEquals(503, get("/healthcheck").statusCode());
    assertEquals(200, get("/ready").statusCode(), "ready is not healthy");
    agent.stop();
    vertx.close().await(10, TimeUnit.SECONDS);

    vertx = SidecarTransport.vertx();
    start(withApp(null).withWarningStatusCode(200));
    push("warn", 2);
    assertEquals(200, get("/healthcheck").statusCode());
    assertEquals("warning\n", get("/healthcheck?format=text").body());
  }

  @Test
  void killSwitchFileAndStatusApiMakeHealthcheck503() throws Exception {
    Path killSwitch = dir.resolve("maintenance");
    start(withApp(killSwitch));
    push("pass", 2);
    assertEquals(200, get("/healthcheck").statusCode());

    Files.createFile(killSwitch);
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/healthcheck").statusCode() == 503);
    assertEquals(503, get("/ready").statusCode());
    JsonObject status = new JsonObject(get("/api/status").body());
    assertEquals("OUT_OF_SERVICE", status.getString("instanceStatus"));
    assertEquals(new JsonArray().add("kill_switch_file"), status.getJsonArray("outOfServiceReasons"));
    Files.delete(killSwitch);
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/healthcheck").statusCode() == 200);

    HttpResponse<String> out = send("PUT", "/api/status?value=OUT_OF_SERVICE");
    assertEquals(200, out.statusCode());
    assertEquals("OUT_OF_SERVICE", new JsonObject(out.body()).getString("instanceStatus"));
    assertEquals(503, get("/healthcheck").statusCode());
    assertEquals(200, send("PUT", "/api/status?value=UP").statusCode());
    assertEquals(200, get("/healthcheck").statusCode());
    assertEquals(400, send("PUT", "/api/status?value=DOWN").statusCode());
  }

  @Test
  void aShutdownTurnsHealthAndReadinessTo503ForGoodSaysSoAndAnOperatorsUpDoesNotUndoIt() throws Exception {
    start(withApp(null));
    push("pass", 2);
    assertEquals(200, get("/ready").statusCode());

    agent.setShuttingDown();
    assertEquals(503, get("/healthcheck").statusCode());
    HttpResponse<String> ready = get("/ready");
    assertEquals(503, ready.statusCode());
    assertEquals("shutting down", new JsonObject(ready.body()).getString("reason"));
    assertEquals(new JsonArray().add("shutting_down"),
        new JsonObject(get("/api/status").body()).getJsonArray("outOfServiceReasons"));

    assertEquals(200, send("PUT", "/api/status?value=UP").statusCode());
    assertEquals(503, get("/healthcheck").statusCode(), "an operator's UP brought a stopping instance back");
  }

  @Test
  void statusShowsLifecycleAndEveryContributor() throws Exception {
    start(withApp(null));
    agent.addStatusContributor(new StatusContributor() {
      @Override
      public String name() {
        return "eureka";
      }

      @Override
      public Map<String, Object> status() {
        return Map.of("registered", false, "lastHeartbeat", "never");
      }
    });
    JsonObject status = new JsonObject(get("/api/status").body());
    assertEquals("STARTING", status.getString("instanceStatus"));
    assertEquals(false, status.getBoolean("ready"));
    assertEquals("critical", status.getString("aggregate"));
    assertEquals(new JsonObject().put("registered", false).put("lastHeartbeat", "never"),
        status.getJsonObject("eureka"));
  }

  @Test
  void checksApiShowsKindStatusOutputDurationAndCounters() throws Exception {
    start(withApp(null));
    push("fail", 1);
    JsonObject check = new JsonArray(get("/api/checks").body()).getJsonObject(0);
    assertEquals("critical", check.getString("status"));
    assertEquals("critical", check.getString("lastResult"));
    assertEquals("round 0", check.getString("output"));
    assertEquals(0, check.getInteger("successStreak"));
    assertEquals(1, check.getInteger("failureStreak"));
    assertTrue(check.containsKey("durationMs"));
    assertTrue(check.getString("lastRun").endsWith("Z"));
  }

  @Test
  void ttlPushesAreRejectedForUnknownOrNonTtlChecksAndNothingCanDefineACheck() throws Exception {
    CheckDefinition script = CheckDefinition.of("script", new CheckTarget.Shell("true"), QUICK);
    start(HealthConfig.defaults().withChecks(List.of(script)));
    assertEquals(404, send("PUT", "/api/checks/nope/pass").statusCode());
    assertEquals(409, send("PUT", "/api/checks/script/pass").statusCode());
    assertEquals(404, send("PUT", "/api/checks/script/run").statusCode());
    int define = send("PUT", "/api/checks/script").statusCode();
    assertTrue(define == 404 || define == 405, "status " + define);
    assertEquals(405, send("POST", "/api/checks").statusCode());
  }

  @Test
  void pageIsSelfContainedHtml() throws Exception {
    start(withApp(null));
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("/api/status") && page.body().contains("/api/checks"));
    assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no CDN or remote asset");
  }

  @Test
  void healthcheckServesCachedStateWhileAScriptIsStillRunning() throws Exception {
    CheckDefinition slow = new CheckDefinition("slow", new CheckTarget.Shell("sleep 20"), Duration.ofSeconds(1),
        Duration.ofSeconds(30), QUICK);
    start(HealthConfig.defaults().withChecks(List.of(slow)));
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.current().descendants()
        .anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 20")));
    HttpResponse<String> response = get("/healthcheck");
    assertEquals(503, response.statusCode());
    assertEquals("No result yet", new JsonObject(response.body()).getJsonArray("checks").getJsonObject(0)
        .getString("output"));
    assertEquals(CheckStatus.CRITICAL, agent.current().aggregate());
  }
}
