package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.RefusingPort;
import io.shadowcar.testkit.backend.RecordingBackend;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The jar says what the tee does: start-up lines for the tee and its sink, {@code GET /api/tee}, and a dead shadow
 * visible in the log (failures, breaker OPEN, drops as circuit_open) without waiting for a minute.
 */
class TeeStatusIT extends JarTestSupport {

  private final RecordingBackend primary = backend(RecordingBackend.Responder.ok());

  @Test
  void reportsADeadShadowOnApiTeeAndInTheLog() throws Exception {
    try (RefusingPort deadPort = RefusingPort.open()) {
      reportsADeadShadow(deadPort.port());
    }
  }

  private void reportsADeadShadow(int dead) throws Exception {
    try (SidecarProcess sidecar = launch(config(
        "shadowcar.primary.targets=" + primary.uri(),
        "shadowcar.shadow.targets=http://127.0.0.1:" + dead,
        "shadowcar.shadow.sample.percent=50",
        "shadowcar.shadow.breaker.minimumCalls=5",
        "shadowcar.shadow.breaker.openMs=600000",
        "shadowcar.routes.api.path=/api/**"))) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();
      String admin = "http://127.0.0.1:" + sidecar.adminPort();
      sidecar.awaitOutput("http sink: shadow targets http://127.0.0.1:" + dead);
      assertTrue(sidecar.output().contains("tee: copies on, 50 % sampled at random"), sidecar.output());
      assertTrue(sidecar.output().contains("routes: api /api/**"), sidecar.output());

      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          SidecarProcess.get(proxy + "/api/x");
          return sidecar.output().contains("shadow http breaker OPEN");
        });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("the breaker never opened; the sidecar said:\n" + sidecar.output(), e);
      }
      sidecar.awaitOutput("shadow http://127.0.0.1:" + dead + ": 1 copy failed in the last");

      JsonObject tee = await().atMost(Duration.ofSeconds(30)).until(() -> {
        // sampled at 50 %: a few until one is dropped by the open breaker and one is sampled out
        SidecarProcess.get(proxy + "/api/y");
        return new JsonObject(SidecarProcess.get(admin + "/api/tee").body());
      }, json -> json.getJsonObject("dropped").getJsonObject("circuit_open").getLong("total") > 0
          && json.getJsonObject("skipped").getJsonObject("sampled_out").getLong("total") > 0);
      JsonObject first = tee.getJsonArray("primary").getJsonObject(0);
      assertEquals(primary.uri().toString(), first.getString("target"), tee.encodePrettily());
      assertEquals("CLOSED", first.getString("breaker"));
      assertEquals(50.0, tee.getJsonObject("tee").getDouble("samplePercent"));
      assertEquals("/api/**", tee.getJsonObject("tee").getJsonArray("routes").getJsonObject(0).getString("path"));
      JsonObject sink = tee.getJsonArray("sinks").getJsonObject(0);
      assertEquals("http", sink.getString("tag"));
      assertEquals("breaker open", sink.getString("state"), sink.encode());
      assertEquals("http://127.0.0.1:" + dead, sink.getString("destination"));
      JsonObject failed = sink.getJsonObject("copies").getJsonObject("failed");
      assertTrue(failed.getLong("total") >= 5 && failed.getLong("lastMinute") >= 5, sink.encode());
      assertTrue(tee.getJsonObject("dropped").getJsonObject("circuit_open").getLong("lastMinute") > 0);
      assertTrue(tee.getJsonObject("skipped").getJsonObject("sampled_out").getLong("total") > 0);
      assertTrue(sidecar.output().contains("copies dropped as circuit_open"), sidecar.output());
      // the first drop of a reason is logged at once, not after a minute
      assertTrue(java.util.regex.Pattern.compile("shadow http://127\\.0\\.0\\.1:" + dead
          + ": 1 copy dropped in the last \\d+ s: circuit_open").matcher(sidecar.output()).find(), sidecar.output());
    }
  }
}
