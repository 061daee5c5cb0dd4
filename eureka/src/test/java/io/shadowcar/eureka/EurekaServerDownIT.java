package io.shadowcar.eureka;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.testkit.SidecarTransport;
import io.shadowcar.testkit.eureka.EurekaServerProcess;
import io.vertx.core.Vertx;
import io.shadowcar.common.target.TargetUrl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Eureka server that is down at start, comes up, and goes away again: the sidecar never stops for it. */
class EurekaServerDownIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private EurekaServerProcess server;
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    server = EurekaServerProcess.onFreePort(); // port chosen, nothing listening yet
    vertx = SidecarTransport.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    server.stop();
  }

  @Test
  void retriesUntilTheServerComesUpThenRegistersAndDiscoveryKeepsItsListWhenTheServerGoes() throws Exception {
    EurekaConfig config = EurekaRegistrarIT.config(server.serviceUrl(), "late", 8090)
        .withDiscoveryRefresh(Duration.ofMillis(200));
    EurekaRegistrar registrar = new EurekaRegistrar(vertx, config, meters);
    registrar.start().await(5, TimeUnit.SECONDS);
    new Snapshots(registrar).ready();

    await().atMost(WAIT).until(() -> (Integer) registrar.status().get("consecutiveFailures") >= 3);
    assertEquals("REGISTERING", registrar.status().get("state"));
    assertEquals(false, registrar.status().get("registered"));
    assertTrue(registrar.status().containsKey("lastError"), () -> "status shows the error: " + registrar.status());
    assertTrue(meters.get(EurekaMetrics.REGISTRATIONS).tag(EurekaMetrics.TAG_RESULT, "failure").counter().count() >= 3);
    assertEquals(0.0, meters.get(EurekaMetrics.REGISTERED).gauge().value());

    server.start();

    await().atMost(WAIT).until(() -> server.statusOf(config.eurekaAppName(), config.instanceId()), equalTo("UP"));
    await().atMost(WAIT).until(registrar::isRegistered);
    assertEquals(0, registrar.status().get("consecutiveFailures"));

    EurekaVipDiscovery discovery = new EurekaVipDiscovery(vertx, config, "late", meters);
    discovery.start().await(5, TimeUnit.SECONDS);
    await().atMost(WAIT).until(discovery::upInstances, equalTo(List.of(TargetUrl.parse("http://127.0.0.1:8090"))));

    server.stop();

    await().atMost(WAIT).until(() -> meters.get(EurekaMetrics.DISCOVERY_REFRESHES)
        .tag(EurekaMetrics.TAG_RESULT, "failure").counter().count() >= 2);
    assertEquals(List.of(TargetUrl.parse("http://127.0.0.1:8090")), discovery.upInstances(), "last good list kept");
    assertTrue(discovery.status().containsKey("lastError"));
    await().atMost(WAIT).until(() -> "failure".equals(registrar.status().get("lastHeartbeatResult")));

    registrar.shutdown().await(30, TimeUnit.SECONDS); // completes although the server is gone
    assertEquals("STOPPED", registrar.status().get("state"));
    discovery.stop().await(5, TimeUnit.SECONDS);
  }
}
