package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar as a running process: admin endpoints, dynamic config, SIGTERM. */
class SidecarProcessIT {

  @TempDir Path dir;

  private Path config(Path dynamic) throws Exception {
    return Files.writeString(dir.resolve("sidecar.properties"), String.join("\n",
        "shadowcar.primary.targets=http://127.0.0.1:9",
        "shadowcar.proxy.host=127.0.0.1",
        "shadowcar.proxy.port=0",
        "shadowcar.admin.port=0",
        "shadowcar.health.host=127.0.0.1",
        "shadowcar.health.port=0",
        "shadowcar.data.dir=" + dir.resolve("data"),
        "shadowcar.proxy.drainSeconds=2",
        "shadowcar.shadow.kafka.producer.ssl.key.password=hunter2",
        "shadowcar.config.dynamic.file=" + dynamic,
        "shadowcar.config.dynamic.pollSeconds=1", ""));
  }

  @Test
  void servesMetricsAppliesDynamicChangesRejectsBadOnesAndStopsCleanlyOnSigterm() throws Exception {
    Path dynamic = Files.writeString(dir.resolve("dynamic.properties"), "shadowcar.shadow.sample.percent=25\n");
    try (SidecarProcess sidecar = SidecarProcess.launch(dir, List.of(), "--config", config(dynamic).toString())) {
      String admin = "http://127.0.0.1:" + sidecar.adminPort();

      HttpResponse<String> metrics = SidecarProcess.get(admin + "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
      assertTrue(metrics.body().contains("# TYPE shadowcar_config_rejected_total counter"), metrics.body());
      assertTrue(metrics.body().contains("jvm_memory_used_bytes"), metrics.body());
      // the event loops are watched (the launcher turned Vert.x's own blocked-thread timing off)
      assertTrue(metrics.body().contains(
          "shadowcar_event_loop_delay_seconds_count{loop=\"vert.x-eventloop-thread-0\"}"), metrics.body());
      assertTrue(metrics.body().contains("shadowcar_event_loop_blocked_total{loop=\"vert.x-eventloop-thread-0\"} 0.0"),
          metrics.body());

      assertEquals(200, SidecarProcess.get(admin + "/healthcheck").statusCode(), "no checks: ready and passing");
      assertEquals(200, SidecarProcess.get(admin + "/ready").statusCode());
      assertTrue(SidecarProcess.get(admin + "/api/status").body().contains("templates"));
      assertEquals(200, SidecarProcess.get(admin + "/").statusCode(), "status page");

      String config = SidecarProcess.get(admin + "/api/config").body();
      assertTrue(config.contains("\"shadowcar.shadow.sample.percent\" : \"25\""), config);
      assertTrue(config.contains("\"shadowcar.shadow.kafka.producer.ssl.key.password\" : \"******\""), config);
      assertTrue(!config.contains("hunter2"), config);

      Files.writeString(dynamic, "shadowcar.shadow.sample.percent=50\n");
      await().atMost(Duration.ofSeconds(60)).until(() ->
          SidecarProcess.get(admin + "/api/config").body().contains("\"shadowcar.shadow.sample.percent\" : \"50\""));

      Files.writeString(dynamic, "shadowcar.shadow.sample.percent=lots\n");
      await().atMost(Duration.ofSeconds(60)).until(() ->
          SidecarProcess.get(admin + "/metrics").body().contains("shadowcar_config_rejected_total 1.0"));
      assertTrue(SidecarProcess.get(admin + "/api/config").body()
          .contains("\"shadowcar.shadow.sample.percent\" : \"50\""));
      assertTrue(sidecar.output().contains(
          "config change rejected, keeping the last good config: shadowcar.shadow.sample.percent: 'lots'"));

      sidecar.stopCleanly();
    }
  }

  @Test
  void aKilledSidecarLeavesOnlyTheKeptSqliteLibraryWhichTheNextStartReuses() throws Exception {
    Path dynamic = Files.writeString(dir.resolve("dynamic.properties"), "");
    String config = config(dynamic).toString();
    Path tmpdir;
    Path kept;
    Object keptFile;
    try (SidecarProcess killed = SidecarProcess.launch(dir, List.of(), "--config", config)) {
      assertEquals(200, SidecarProcess.get("http://127.0.0.1:" + killed.adminPort() + "/ready").statusCode());
      // the diff store is open once ready, so SQLite's library is loaded by now
      killed.kill();
      tmpdir = killed.tmpdir();
      kept = killed.keptLibrary();
      keptFile = Files.readAttributes(kept, BasicFileAttributes.class).fileKey();
      assertEquals(List.of(), killed.filesLeft(), "what SIGKILL left besides the kept library");
    }

    try (SidecarProcess restarted = SidecarProcess.launchWithTmpdir(dir, tmpdir, List.of(), "--config", config)) {
      assertEquals(200, SidecarProcess.get("http://127.0.0.1:" + restarted.adminPort() + "/ready").statusCode());
      restarted.stopCleanly();
      assertEquals(kept, restarted.keptLibrary());
      assertEquals(keptFile, Files.readAttributes(kept, BasicFileAttributes.class).fileKey(), "written again");
    }
  }
}
