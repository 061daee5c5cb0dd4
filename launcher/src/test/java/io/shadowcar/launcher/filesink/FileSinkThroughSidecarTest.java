package io.shadowcar.launcher.filesink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.SettingCatalog;
import io.shadowcar.launcher.InProcessSidecar;
import io.shadowcar.launcher.Sidecar;
import io.shadowcar.sink.ShadowSinkProvider;
import io.shadowcar.sink.ShadowSinkProviders;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink added only through the SPI (a provider on the class path and its services line) is validated, routed to and
 * built by the unchanged launcher: the sidecar runs in-process, a request goes through the proxy to a real backend,
 * and its copy lands in the file.
 */
class FileSinkThroughSidecarTest {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final RecordingBackend primary = RecordingBackend.start(vertx, RecordingBackend.Responder.ok());

  @AfterEach
  void close() {
    primary.close();
    vertx.close().await();
  }

  @Test
  void routeNamingTheFileSinkAppendsOneLinePerCopy() throws Exception {
    Path copies = dir.resolve("copies.jsonl");
    Path config = InProcessSidecar.config(dir,
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.file.path=" + copies,
        "shadowcar.routes.api.path=/api/**",
        "shadowcar.routes.api.sinks=file");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Sidecar sidecar = InProcessSidecar.start(config, registry);
    try {
      HttpResponse<String> answer = InProcessSidecar.get(sidecar.proxyPort(), "/api/items/7?q=1");
      assertEquals(200, answer.statusCode());

      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(copies) && !Files.readString(copies).isEmpty());
      List<String> lines = Files.readAllLines(copies);
      assertEquals(1, lines.size(), lines.toString());
      JsonObject copy = new JsonObject(lines.get(0));
      assertEquals("/api/items/7?q=1", copy.getString("uri"));
      assertEquals("api", copy.getString("route"));
      assertEquals(primary.single().headers().get("X-Request-Id"), copy.getString("requestId"));
      assertEquals(1.0, registry.get("shadowcar.tee.copies").tags("sink", "file", "result", "sent").counter().count());
    } finally {
      sidecar.stop();
    }
  }

  @Test
  void theFileKeyIsKnownOnlyBecauseItsProviderDeclaresIt() {
    Map<String, String> values = Map.of("shadowcar.shadow.file.path", "/tmp/copies.jsonl");
    SettingCatalog all = new SettingCatalog(ShadowSinkProviders.settings());
    SettingCatalog withoutFile = new SettingCatalog(ShadowSinkProviders.loadAll().stream()
        .filter(provider -> !provider.tag().equals(FileSinkProvider.TAG))
        .flatMap(provider -> provider.settings().stream())
        .toList());

    assertTrue(ShadowSinkProviders.tags().contains(FileSinkProvider.TAG));
    assertTrue(all.unknownKeys(values).isEmpty());
    List<ConfigProblem> unknown = withoutFile.unknownKeys(values);
    assertEquals(List.of("shadowcar.shadow.file.path"), unknown.stream().map(ConfigProblem::key).toList());
    assertEquals(Optional.of("shadowcar.shadow.file.path"), all.suggestion("shadowcar.shadow.file.paht"));
    assertFalse(ShadowSinkProviders.loadAll().stream().map(ShadowSinkProvider::tag).toList().isEmpty());
  }
}
