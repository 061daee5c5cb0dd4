package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health agent as wired by the launcher: an HTTP check makes the instance ready; the kill switch takes it out. */
class HealthThroughJarIT {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final RecordingBackend service = RecordingBackend.start(vertx, RecordingBackend.Responder.ok());

  @AfterEach
  void close() {
    service.close();
    vertx.close().await();
  }

  @Test
  void becomesReadyAfterPassingChecksAndGoesOutOfServiceWithTheKillSwitch() throws Exception {
    Path killSwitch = dir.resolve("maintenance");
    Path config = Files.writeString(dir.resolve("sidecar.properties"), String.join("\n",
        "shadowcar.primary.targets=" + service.uri(),
        "shadowcar.proxy.host=127.0.0.1",
        "shadowcar.proxy.port=0",
        "shadowcar.admin.port=0",
        "shadowcar.checks.service.http=" + service.uri() + "/health",
        "shadowcar.checks.service.interval.ms=1000",
        "shadowcar.health.passesBeforeReady=2",
        "shadowcar.killswitch.file=" + killSwitch,
        "shadowcar.killswitch.pollMs=200", ""));
    try (SidecarProcess sidecar = SidecarProcess.launch(dir, List.of(), "--config", config.toString())) {
      String admin = "http://127.0.0.1:" + sidecar.adminPort();

      await().atMost(Duration.ofSeconds(60)).until(() -> SidecarProcess.get(admin + "/ready").statusCode() == 200);
      await().atMost(Duration.ofSeconds(60))
          .until(() -> SidecarProcess.get(admin + "/healthcheck").statusCode() == 200);
      assertTrue(SidecarProcess.get(admin + "/api/checks").body().contains("service"));
      assertTrue(service.requests().stream().anyMatch(r -> r.uri().equals("/health")), "the check ran");

      Files.createFile(killSwitch);
      await().atMost(Duration.ofSeconds(60))
          .until(() -> SidecarProcess.get(admin + "/healthcheck").statusCode() == 503);
      Files.delete(killSwitch);
      await().atMost(Duration.ofSeconds(60))
          .until(() -> SidecarProcess.get(admin + "/healthcheck").statusCode() == 200);
    }
  }
}
