package io.shadowcar.eureka;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.testkit.SidecarTransport;
import io.shadowcar.testkit.eureka.EurekaServerProcess;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A long Eureka outage must not leave the instance unregistered long after the server is back: the back-off that grew
 * while the server was away is capped at the heartbeat interval, so the instance is back within one heartbeat (plus a
 * generous margin for a loaded machine) of the server answering again.
 */
class EurekaOutageIT {

  private static final Duration HEARTBEAT = Duration.ofSeconds(2);
  /** One heartbeat, plus room for the call itself and a busy machine; far below the uncapped back-off (32 s). */
  private static final Duration BACK_WITHIN = HEARTBEAT.plusSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private EurekaServerProcess server;
  private Vertx vertx;
  private EurekaRegistrar registrar;

  @BeforeEach
  void setUp() {
    server = EurekaServerProcess.onFreePort().start();
    vertx = SidecarTransport.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (registrar != null) {
      registrar.shutdown().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    server.stop();
  }

  @Test
  void reRegistersWithinOneHeartbeatOfTheServersReturnAfterALongOutage() throws Exception {
    EurekaConfig base = EurekaRegistrarIT.config(server.serviceUrl(), "outage", 8091);
    // retry.max 60 s as by default: uncapped, seven failures in a row would mean a 32 s wait before the next try
    EurekaConfig config = base.withTimings(HEARTBEAT, Duration.ofSeconds(10), Duration.ZERO, Duration.ofMillis(500),
        Duration.ofSeconds(60));
    registrar = new EurekaRegistrar(vertx, config, meters);
    registrar.start().await(5, TimeUnit.SECONDS);
    new Snapshots(registrar).ready();
    await().atMost(WAIT).until(() -> server.statusOf(config.eurekaAppName(), config.instanceId()), equalTo("UP"));

    server.stop();
    await().atMost(WAIT).until(() -> (Integer) registrar.status().get("consecutiveFailures") >= 7);

    server.start(); // a fresh server: it has forgotten the instance, so the next heartbeat gets 404 and re-registers
    await().atMost(BACK_WITHIN)
        .until(() -> server.statusOf(config.eurekaAppName(), config.instanceId()), equalTo("UP"));
  }
}
