package io.shadowcar.eureka;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.eureka.rest.CallResult;
import io.shadowcar.testkit.SidecarTransport;
import io.shadowcar.testkit.eureka.EurekaServerExtension;
import io.shadowcar.testkit.eureka.EurekaServerProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registrar against a real Eureka server, every transition read back through Eureka's REST API. */
class EurekaRegistrarIT {

  @RegisterExtension
  static final EurekaServerExtension EUREKA = new EurekaServerExtension();

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static Vertx vertx;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private EurekaRegistrar registrar;

  @BeforeAll
  static void startVertx() {
    vertx = SidecarTransport.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void shutDownRegistrar() throws Exception {
    if (registrar != null) {
      registrar.shutdown().await(20, TimeUnit.SECONDS);
    }
  }

  /** A config for the managed service at 127.0.0.1:port, heartbeats every 300 ms, 1 s drain. */
  static EurekaConfig config(URI serviceUrl, String app, int port) {
    return EurekaConfig.forInstance(List.of(serviceUrl), app, "127.0.0.1", port, URI.create("http://127.0.0.1:7070"))
        .withTimings(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(100),
            Duration.ofMillis(800));
  }

  private EurekaRegistrar start(EurekaConfig config) throws Exception {
    registrar = new EurekaRegistrar(vertx, config, meters);
    registrar.start().await(5, TimeUnit.SECONDS);
    return registrar;
  }

  private static String status(EurekaConfig config) {
    return EUREKA.server().statusOf(config.eurekaAppName(), config.instanceId());
  }

  private double heartbeats(CallResult result) {
    return meters.get(EurekaMetrics.HEARTBEATS).tag(EurekaMetrics.TAG_RESULT, result.label()).counter().count();
  }

  @Test
  void followsTheAgentFromStartingToUpDownOutOfServiceAndBackThenLeavesDownFirst() throws Exception {
    EurekaConfig base = config(EUREKA.serviceUrl(), "lifecycle", 8080);
    // A drain long enough that polling sees the DOWN before the instance is gone, even on a loaded machine.
    EurekaConfig config = base.withTimings(base.heartbeatInterval(), base.leaseDuration(), Duration.ofSeconds(3),
        base.retryMin(), base.retryMax());
    Snapshots agent = new Snapshots(start(config));

    await().atMost(WAIT).until(() -> status(config), equalTo("STARTING"));
    JsonObject instance = EUREKA.server().instance(config.eurekaAppName(), config.instanceId()).orElseThrow();
    assertEquals("127.0.0.1", instance.getString("ipAddr"), "the managed service's IP, not the sidecar's");
    assertEquals(8080, instance.getJsonObject("port").getInteger("$"), "the managed service's port");
    assertEquals("http://127.0.0.1:7070/healthcheck", instance.getString("healthCheckUrl"));
    assertEquals("lifecycle", instance.getString("vipAddress"));

    agent.ready();
    await().atMost(WAIT).until(() -> status(config), equalTo("UP"));
    await().atMost(WAIT).until(() -> registrar.isRegistered());
    assertEquals(1.0, meters.get(EurekaMetrics.REGISTERED).gauge().value());

    agent.critical();
    await().atMost(WAIT).until(() -> status(config), equalTo("DOWN"));

    agent.ready();
    agent.outOfService();
    await().atMost(WAIT).until(() -> status(config), equalTo("OUT_OF_SERVICE"));
    instance = EUREKA.server().instance(config.eurekaAppName(), config.instanceId()).orElseThrow();
    assertEquals("OUT_OF_SERVICE", instance.getString("overriddenStatus"), "set as an override, not self-reported");
    assertEquals("UP", registrar.status().get("reportedStatus"));

    agent.backInService();
    await().atMost(WAIT).until(() -> status(config), equalTo("UP"));
    await().atMost(WAIT).until(() -> heartbeats(CallResult.SUCCESS) >= 2);

    Future<Void> shutdown = registrar.shutdown();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> status(config), equalTo("DOWN"));
    shutdown.await(20, TimeUnit.SECONDS);
    assertEquals("ABSENT", status(config));
    assertEquals("STOPPED", registrar.status().get("state"));
    assertEquals(0.0, meters.get(EurekaMetrics.REGISTERED).gauge().value());
  }

  @Test
  void operatorOutOfServiceOutlastsARecoveryFromCritical() throws Exception {
    EurekaConfig config = config(EUREKA.serviceUrl(), "oos-critical", 8086);
    Snapshots agent = new Snapshots(start(config));
    agent.ready();
    agent.outOfService();
    await().atMost(WAIT).until(() -> status(config), equalTo("OUT_OF_SERVICE"));

    agent.critical(); // still out of service; Eureka lets a self-reported DOWN win over the override
    await().atMost(WAIT).until(() -> status(config), equalTo("DOWN"));

    agent.ready(); // checks recover, the operator has not put it back: UP must not leak through
    await().atMost(WAIT).until(() -> "UP".equals(registrar.status().get("reportedStatus")));
    await().atMost(WAIT).until(() -> status(config), equalTo("OUT_OF_SERVICE"));

    agent.backInService();
    await().atMost(WAIT).until(() -> status(config), equalTo("UP"));
  }

  @Test
  void reRegistersAtOnceWhenEurekaAnswersTheHeartbeatWith404() throws Exception {
    EurekaConfig config = config(EUREKA.serviceUrl(), "forgotten", 8081);
    Snapshots agent = new Snapshots(start(config));
    agent.ready();
    await().atMost(WAIT).until(() -> status(config), equalTo("UP"));

    assertTrue(EUREKA.server().deregister(config.eurekaAppName(), config.instanceId()));

    await().atMost(WAIT).until(() -> heartbeats(CallResult.NOT_FOUND) >= 1);
    await().atMost(WAIT).until(() -> status(config), equalTo("UP"));
    assertEquals(true, registrar.status().get("registered"));
  }

  @Test
  void keepsOperatorOutOfServiceWhenEurekaForgetsTheInstance() throws Exception {
    EurekaConfig config = config(EUREKA.serviceUrl(), "forgotten-oos", 8082);
    Snapshots agent = new Snapshots(start(config));
    agent.ready();
    agent.outOfService();
    await().atMost(WAIT).until(() -> status(config), equalTo("OUT_OF_SERVICE"));

    assertTrue(EUREKA.server().deregister(config.eurekaAppName(), config.instanceId()));

    await().atMost(WAIT).until(() -> heartbeats(CallResult.NOT_FOUND) >= 1);
    await().atMost(WAIT).until(() -> status(config), equalTo("OUT_OF_SERVICE"));
  }

  @Test
  void clearsAnOutOfServiceOverrideLeftByAPreviousRun() throws Exception {
    EurekaConfig config = config(EUREKA.serviceUrl(), "leftover", 8083);
    Vertx previousVertx = SidecarTransport.vertx();
    new EurekaRegistrar(previousVertx, config, new SimpleMeterRegistry()).start().await(5, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> status(config), equalTo("STARTING"));
    assertTrue(EUREKA.server().overrideStatus(config.eurekaAppName(), config.instanceId(), "OUT_OF_SERVICE"));
    await().atMost(WAIT).until(() -> status(config), equalTo("OUT_OF_SERVICE"));
    previousVertx.close().await(10, TimeUnit.SECONDS); // dies without deregistering

    new Snapshots(start(config)).ready();

    await().atMost(WAIT).until(() -> status(config), equalTo("UP"));
    // Eureka can show UP a moment before the registrar has finished clearing the override it found: wait for both.
    await().atMost(WAIT).until(() -> registrar.status().get("outOfServiceOverride"), equalTo((Object) false));
    assertEquals("UP", status(config));
  }

  @Test
  void showsRegistrationInStatusSection() throws Exception {
    EurekaConfig config = config(EUREKA.serviceUrl(), "shown", 8084);
    new Snapshots(start(config)).ready();

    await().atMost(WAIT).until(() -> "success".equals(registrar.status().get("lastHeartbeatResult")));
    assertEquals("eureka", registrar.name());
    assertEquals("REGISTERED", registrar.status().get("state"));
    assertEquals(EUREKA.serviceUrl().toString(), registrar.status().get("server"));
    assertEquals("UP", registrar.status().get("reportedStatus"));
    assertEquals(0, registrar.status().get("consecutiveFailures"));
    assertFalse(registrar.status().containsKey("lastError"));
  }

  @Test
  void failsOverToTheNextServiceUrlWhenTheFirstIsDead() throws Exception {
    URI dead = EurekaServerProcess.onFreePort().serviceUrl(); // a free port: nothing listens there
    EurekaConfig one = config(EUREKA.serviceUrl(), "failover", 8085);
    EurekaConfig config = new EurekaConfig(true, List.of(dead, EUREKA.serviceUrl()), one.app(), "", "", "127.0.0.1",
        8085, "", null, null, one.metadata(), one.heartbeatInterval(), one.leaseDuration(), one.drain(),
        one.retryMin(), one.retryMax(), one.requestTimeout(), one.discoveryRefresh());
    new Snapshots(start(config)).ready();

    await().atMost(WAIT).until(() -> status(config), equalTo("UP"));
    assertEquals(EUREKA.serviceUrl().toString(), registrar.status().get("server"));
    assertTrue(meters.get(EurekaMetrics.REGISTRATIONS).tag(EurekaMetrics.TAG_RESULT, "failure").counter().count() >= 1);
  }

  @Test
  void staysSilentWhenDisabled() throws Exception {
    EurekaConfig disabled = EurekaConfig.defaults();
    EurekaRegistrar off = new EurekaRegistrar(vertx, disabled, meters);

    off.start().await(5, TimeUnit.SECONDS);
    off.shutdown().await(5, TimeUnit.SECONDS);

    assertEquals("DISABLED", off.status().get("state"));
    assertEquals(false, off.isRegistered());
    assertTrue(meters.find(EurekaMetrics.HEARTBEATS).counters().isEmpty());
  }
}
