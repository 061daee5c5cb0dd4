package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The health agent as wired by the launcher: an HTTP check makes the instance ready; the kill switch takes it out. */
class HealthThroughJarIT extends JarTestSupport {

  private final RecordingBackend service = backend(RecordingBackend.Responder.ok());

  @Test
  void becomesReadyAfterPassingChecksAndGoesOutOfServiceWithTheKillSwitch() throws Exception {
    Path killSwitch = dir.resolve("maintenance");
    Path config = config(
        "shadowcar.primary.targets=" + service.uri(),
        "shadowcar.checks.service.http=" + service.uri() + "/health",
        "shadowcar.checks.service.interval.ms=1000",
        "shadowcar.health.passesBeforeReady=2",
        "shadowcar.killswitch.file=" + killSwitch,
        "shadowcar.killswitch.pollMs=200");
    try (SidecarProcess sidecar = launch(config)) {
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
