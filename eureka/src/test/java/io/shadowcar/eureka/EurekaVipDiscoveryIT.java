package io.shadowcar.eureka;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shadowcar.testkit.SidecarTransport;
import io.shadowcar.testkit.eureka.EurekaServerExtension;
import io.vertx.core.Vertx;
import io.shadowcar.common.target.TargetUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VIP discovery against a real Eureka server, with instances registered by real registrars. */
class EurekaVipDiscoveryIT {

  @RegisterExtension
  static final EurekaServerExtension EUREKA = new EurekaServerExtension();

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<EurekaRegistrar> registrars = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = SidecarTransport.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    for (EurekaRegistrar registrar : registrars) {
      registrar.shutdown().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** An instance of the "orders" service on 127.0.0.1:port, made ready. */
  private Snapshots instance(String app, int port) throws Exception {
    EurekaConfig config = EurekaRegistrarIT.config(EUREKA.serviceUrl(), app, port);
    config = new EurekaConfig(true, config.serviceUrls(), app, "orders", "", "127.0.0.1", port, "", null, null,
        config.metadata(), config.heartbeatInterval(), config.leaseDuration(), Duration.ZERO, config.retryMin(),
        config.retryMax(), config.requestTimeout(), config.discoveryRefresh());
    EurekaRegistrar registrar = new EurekaRegistrar(vertx, config, new SimpleMeterRegistry());
    registrars.add(registrar);
    registrar.start().await(5, TimeUnit.SECONDS);
    Snapshots agent = new Snapshots(registrar);
    agent.ready();
    return agent;
  }

  private EurekaVipDiscovery discovery(String vip) throws Exception {
    EurekaConfig config = EurekaConfig.defaults();
    config = new EurekaConfig(false, List.of(EUREKA.serviceUrl()), "", "", "", "", 0, "", null, null, config.metadata(),
        config.heartbeatInterval(), config.leaseDuration(), config.drain(), config.retryMin(), config.retryMax(),
        config.requestTimeout(), Duration.ofMillis(200));
    EurekaVipDiscovery discovery = new EurekaVipDiscovery(vertx, config, vip, meters);
    discovery.start().await(5, TimeUnit.SECONDS);
    return discovery;
  }

  private static List<TargetUrl> uris(int... ports) {
    List<TargetUrl> uris = new ArrayList<>();
    for (int port : ports) {
      uris.add(TargetUrl.parse("http://127.0.0.1:" + port));
    }
    return uris;
  }

  @Test
  void followsInstancesGoingDownOutOfServiceAwayAndAppearing() throws Exception {
    Snapshots first = instance("orders-a", 9001);
    Snapshots second = instance("orders-b", 9002);
    EurekaVipDiscovery discovery = discovery("orders");

    await().atMost(WAIT).until(discovery::upInstances, equalTo(uris(9001, 9002)));

    second.critical();
    await().atMost(WAIT).until(discovery::upInstances, equalTo(uris(9001)));

    Snapshots third = instance("orders-c", 9003);
    await().atMost(WAIT).until(discovery::upInstances, equalTo(uris(9001, 9003)));

    first.outOfService();
    await().atMost(WAIT).until(discovery::upInstances, equalTo(uris(9003)));

    second.ready();
    await().atMost(WAIT).until(discovery::upInstances, equalTo(uris(9002, 9003)));

    registrars.get(2).shutdown().await(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(discovery::upInstances, equalTo(uris(9002)));

    assertEquals(1.0, meters.get(EurekaMetrics.DISCOVERY_INSTANCES).gauge().value());
    assertEquals(0.0, meters.get(EurekaMetrics.DISCOVERY_REFRESHES).tag(EurekaMetrics.TAG_RESULT, "failure")
        .counter().count());
    third.ready(); // a stopped registrar ignores later snapshots
    discovery.stop().await(5, TimeUnit.SECONDS);
  }

  @Test
  void unknownVipGivesNoInstances() throws Exception {
    EurekaVipDiscovery discovery = discovery("nobody-here");

    assertEquals(List.of(), discovery.upInstances());
    assertEquals(1.0, meters.get(EurekaMetrics.DISCOVERY_REFRESHES).tag(EurekaMetrics.TAG_RESULT, "success")
        .counter().count());
    discovery.stop().await(5, TimeUnit.SECONDS);
  }
}
