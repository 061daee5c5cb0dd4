package io.shadowcar.launcher.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.launcher.Sidecar;
import io.shadowcar.launcher.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's probe paths against the real health port: the sidecar runs in-process with the ConfigMap's own
 * config (ports and hosts moved to loopback, the app replaced by a server whose health the test flips). Liveness
 * must stay 200 while the app is down, or the kubelet would restart the sidecar for the app's fault.
 */
class ProbeRoutesTest {

  static final String READINESS = "/ready";
  static final String LIVENESS = "/api/status";

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger appHealth = new AtomicInteger(503);
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void livenessStaysUpWhileTheAppIsDownAndReadinessFollowsTheApp() throws Exception {
    HttpServer app = vertx.createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(appHealth.get()).end())
        .listen(0, "127.0.0.1").await();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Sidecar sidecar = new Sidecar(ConfigLoader.load(Optional.of(configFor(app.actualPort())), registry),
        registry);
    try {
      sidecar.start();
      String health = "http://127.0.0.1:" + sidecar.healthPort();
      await().atMost(Duration.ofSeconds(30)).until(() -> status(health + "/healthcheck") == 503);
      assertEquals(200, status(health + LIVENESS), "liveness while the app is critical");
      assertEquals(503, status(health + READINESS), "readiness while the app is critical");

      appHealth.set(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> status(health + READINESS) == 200);
      assertEquals(200, status(health + LIVENESS));
    } finally {
      sidecar.stop();
    }
  }

  /** The ConfigMap's config with every address on loopback, the app at {@code appPort}, files in the temp dir. */
  private Path configFor(int appPort) throws IOException {
    JsonNode data = RepositoryFiles.yamlDocuments(DeploymentManifestSchemaTest.MANIFEST).stream()
        .filter(doc -> doc.at("/metadata/name").asText().equals("shadowcar-config")).findFirst().orElseThrow()
        .path("data");
    Map<String, String> values = new LinkedHashMap<>(RepositoryFiles.properties(
        data.path("shadowcar.properties").asText()));
    String app = "http://127.0.0.1:" + appPort;
    values.put("shadowcar.proxy.host", "127.0.0.1");
    values.put("shadowcar.proxy.port", "0");
    values.put("shadowcar.admin.host", "127.0.0.1");
    values.put("shadowcar.admin.port", "0");
    values.put("shadowcar.health.host", "127.0.0.1");
    values.put("shadowcar.health.port", "0");
    values.put("shadowcar.primary.targets", app);
    values.put("shadowcar.shadow.targets", "");
    values.put("shadowcar.checks.app.http", app + "/health");
    values.put("shadowcar.checks.app.interval.ms", "1000");
    values.put("shadowcar.data.dir", dir.resolve("data").toString());
    values.put("shadowcar.config.dynamic.file", "");
    String text = values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
    return Files.writeString(dir.resolve("shadowcar.properties"), text);
  }

  private int status(String url) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
