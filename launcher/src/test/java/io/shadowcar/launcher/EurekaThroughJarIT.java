package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.eureka.EurekaServerExtension;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar against a real Eureka server: it registers the managed service, routes to it through
 * {@code eureka:VIP} discovery, and deregisters on SIGTERM.
 */
class EurekaThroughJarIT {

  @RegisterExtension
  static final EurekaServerExtension EUREKA = new EurekaServerExtension();

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final RecordingBackend service = RecordingBackend.start(vertx, RecordingBackend.Responder.ok());

  @AfterEach
  void close() {
    service.close();
    vertx.close().await();
  }

  @Test
  void registersTheManagedServiceRoutesToItByVipAndDeregistersOnSigterm() throws Exception {
    Path config = Files.writeString(dir.resolve("sidecar.properties"), String.join("\n",
        "shadowcar.primary.targets=eureka:launcher-it",
        "shadowcar.proxy.host=127.0.0.1",
        "shadowcar.proxy.port=0",
        "shadowcar.admin.port=0",
        "shadowcar.proxy.drainSeconds=1",
        "shadowcar.eureka.enabled=true",
        "shadowcar.eureka.serviceUrl=" + EUREKA.serviceUrl(),
        "shadowcar.eureka.app=launcher-it",
        "shadowcar.eureka.instanceId=launcher-it-1",
        "shadowcar.eureka.instanceIp=127.0.0.1",
        "shadowcar.eureka.instancePort=" + service.port(),
        "shadowcar.eureka.heartbeat.ms=1000",
        "shadowcar.eureka.drain.ms=500",
        "shadowcar.eureka.discovery.refresh.ms=500", ""));
    try (SidecarProcess sidecar = SidecarProcess.launch(dir, List.of(), "--config", config.toString())) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();

      // no checks: ready at once, so UP
      await().atMost(Duration.ofSeconds(60))
          .until(() -> EUREKA.server().statusOf("LAUNCHER-IT", "launcher-it-1").equals("UP"));
      await().atMost(Duration.ofSeconds(60)).until(() -> SidecarProcess.get(proxy + "/via-vip").statusCode() == 200);
      assertEquals("/via-vip", service.requests().get(service.requests().size() - 1).uri());

      sidecar.sigterm();
      assertEquals(0, sidecar.exitCode(), sidecar.output());
      assertEquals("ABSENT", EUREKA.server().statusOf("LAUNCHER-IT", "launcher-it-1"));
    }
  }
}
