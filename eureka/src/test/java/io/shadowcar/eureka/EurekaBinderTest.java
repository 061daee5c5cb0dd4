package io.shadowcar.eureka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.SettingCatalog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EurekaBinderTest {

  private static final SettingCatalog CATALOG = new SettingCatalog(EurekaSettings.all());

  @Test
  void noKeysGiveTheDefaults() {
    ConfigView view = ConfigView.of(Map.of());
    EurekaConfig config = EurekaBinder.bind(view, "127.0.0.1", 7070);
    assertEquals(List.of(), view.problems());
    assertEquals(EurekaConfig.defaults().serviceUrls(), config.serviceUrls());
    assertEquals(EurekaConfig.defaults().leaseDuration(), config.leaseDuration());
    assertEquals(URI.create("http://127.0.0.1:7070/healthcheck"), config.healthCheckUrl());
  }

  @Test
  void bindsEveryKeyAndPassesMetadataThrough() {
    Map<String, String> values = Map.ofEntries(
        Map.entry("shadowcar.eureka.enabled", "true"),
        Map.entry("shadowcar.eureka.serviceUrl", "http://e1:8761/eureka, http://e2:8761/eureka"),
        Map.entry("shadowcar.eureka.app", "orders"),
        Map.entry("shadowcar.eureka.vipAddress", "orders-vip"),
        Map.entry("shadowcar.eureka.instanceIp", "10.0.0.5"),
        Map.entry("shadowcar.eureka.instanceHost", "orders-1.internal"),
        Map.entry("shadowcar.eureka.instancePort", "8080"),
        Map.entry("shadowcar.eureka.instanceId", "orders-1"),
        Map.entry("shadowcar.eureka.heartbeat.ms", "10000"),
        Map.entry("shadowcar.eureka.lease.ms", "30000"),
        Map.entry("shadowcar.eureka.drain.ms", "2000"),
        Map.entry("shadowcar.eureka.retry.min.ms", "500"),
        Map.entry("shadowcar.eureka.retry.max.ms", "8000"),
        Map.entry("shadowcar.eureka.request.timeout.ms", "1500"),
        Map.entry("shadowcar.eureka.discovery.refresh.ms", "3000"),
        Map.entry("shadowcar.eureka.metadata.zone", "eu-1"));
    ConfigView view = ConfigView.of(values);
    EurekaConfig config = EurekaBinder.bind(view, "0.0.0.0", 7071);
    assertEquals(List.of(), view.problems());
    assertEquals(new EurekaConfig(true,
        List.of(URI.create("http://e1:8761/eureka"), URI.create("http://e2:8761/eureka")),
        "orders", "orders-vip", "orders-1.internal", "10.0.0.5", 8080, "orders-1",
        URI.create("http://orders-1.internal:7071/healthcheck"), URI.create("http://orders-1.internal:7071/api/status"),
        Map.of("zone", "eu-1"), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(2),
        Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofMillis(1500), Duration.ofSeconds(3)), config);
    assertEquals(List.of(), CATALOG.unknownKeys(values), "every key the binder reads is declared");
  }

  @Test
  void acceptsAZeroDrainWhichDeregistersAtOnce() {
    ConfigView view = ConfigView.of(Map.of("shadowcar.eureka.drain.ms", "0"));
    EurekaConfig config = EurekaBinder.bind(view, "127.0.0.1", 7070);
    assertEquals(List.of(), view.problems());
    assertEquals(Duration.ZERO, config.drain());
  }

  @Test
  void namesTheKeyOfABadValueAndOfARecordsRejection() {
    ConfigView view = ConfigView.of(Map.of(
        "shadowcar.eureka.serviceUrl", "eureka:8761",
        "shadowcar.eureka.enabled", "true",
        "shadowcar.eureka.app", "orders",
        "shadowcar.eureka.instanceIp", "10.0.0.5"));
    assertNull(EurekaBinder.bind(view, "127.0.0.1", 7070));
    assertEquals(List.of(
        new ConfigProblem("shadowcar.eureka.serviceUrl", "eureka:8761",
            "comma list of Eureka base URLs, e.g. http://eureka:8761/eureka"),
        new ConfigProblem("shadowcar.eureka.instancePort", "0", "the managed service's port, 1..65535")),
        view.problems());
  }
}
