package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.eureka.EurekaServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real jar against a real Eureka server: it registers the managed service, routes to it through
 * {@code eureka:VIP} discovery, and deregisters on SIGTERM.
 */
class EurekaThroughJarIT extends JarTestSupport {

  @RegisterExtension
  static final EurekaServerExtension EUREKA = new EurekaServerExtension();

  private final RecordingBackend service = backend(RecordingBackend.Responder.ok());

  @Test
  void registersTheManagedServiceRoutesToItByVipAndDeregistersOnSigterm() throws Exception {
    Path config = config(
        "shadowcar.primary.targets=eureka:launcher-it",
        "shadowcar.proxy.drainSeconds=1",
        "shadowcar.eureka.enabled=true",
        "shadowcar.eureka.serviceUrl=" + EUREKA.serviceUrl(),
        "shadowcar.eureka.app=launcher-it",
        "shadowcar.eureka.instanceId=launcher-it-1",
        "shadowcar.eureka.instanceIp=127.0.0.1",
        "shadowcar.eureka.instancePort=" + service.port(),
        "shadowcar.eureka.heartbeat.ms=1000",
        "shadowcar.eureka.drain.ms=500",
        "shadowcar.eureka.discovery.refresh.ms=500");
    try (SidecarProcess sidecar = launch(config)) {
      String proxy = "http://127.0.0.1:" + sidecar.proxyPort();

      // no checks: ready at once, so UP
      await().atMost(Duration.ofSeconds(60))
          .until(() -> EUREKA.server().statusOf("LAUNCHER-IT", "launcher-it-1").equals("UP"));
      await().atMost(Duration.ofSeconds(60)).until(() -> SidecarProcess.get(proxy + "/via-vip").statusCode() == 200);
      // the URLs Eureka hands out name the health port as bound (configured 0), and answer there
      String healthCheckUrl = EUREKA.server().instance("LAUNCHER-IT", "launcher-it-1").orElseThrow()
          .getString("healthCheckUrl");
      assertEquals("http://127.0.0.1:" + sidecar.healthPort() + "/healthcheck", healthCheckUrl);
      assertEquals(200, SidecarProcess.get(healthCheckUrl).statusCode());
      assertFalse(sidecar.output().contains("cannot reach them"), sidecar.output());
      assertEquals("/via-vip", service.requests().get(service.requests().size() - 1).uri());

      sidecar.stopCleanly();
      assertEquals("ABSENT", EUREKA.server().statusOf("LAUNCHER-IT", "launcher-it-1"));
    }
  }
}
