package io.shadowcar.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {

  private static ConfigSnapshot withDefaults(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(ConfigKeys.defaults());
    all.putAll(values);
    return ConfigSnapshot.of(all);
  }

  private static List<String> problems(Map<String, String> values) {
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> ConfigBinder.bind(withDefaults(values)));
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void bindsDefaultsWithStaticPrimaryTargets() {
    SidecarConfig config = ConfigBinder.bind(
        withDefaults(Map.of("shadowcar.primary.targets", "http://127.0.0.1:8081, http://127.0.0.1:8082")));

    assertEquals(new ListenAddress("0.0.0.0", 7000), config.proxy());
    assertEquals(new ListenAddress("127.0.0.1", 7070), config.admin());
    assertEquals(new TargetsSpec.Static(List.of(URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8082"))),
        config.primary().targets());
    assertEquals(1024, config.shadow().maxInflight());
    assertEquals(100.0, config.shadow().samplePercent());
    assertEquals(List.of("GET", "HEAD", "OPTIONS"), config.shadow().methods());
    assertTrue(config.shadow().targets().isEmpty());
    assertEquals(Optional.empty(), config.shadow().kafkaBootstrap());
  }

  @Test
  void namesTheKeyValueAndExpectationOfABadValue() {
    assertEquals(List.of("shadowcar.shadow.maxInflight: 'abc' (expected: integer > 0)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1", "shadowcar.shadow.maxInflight", "abc")));
  }

  @Test
  void reportsEveryBadKeyAtOnce() {
    List<String> problems = problems(Map.of(
        "shadowcar.shadow.sample.percent", "100.5",
        "shadowcar.shadow.enabled", "yes",
        "shadowcar.admin.port", "70700",
        "shadowcar.shadow.targets", "ftp://x"));

    assertEquals(List.of(
        "shadowcar.admin.port: '70700' (expected: port 0-65535 (0 = any free port))",
        "shadowcar.primary.targets: missing (expected: comma list of base URLs, or eureka:VIPADDRESS)",
        "shadowcar.shadow.enabled: 'yes' (expected: true or false)",
        "shadowcar.shadow.sample.percent: '100.5' (expected: number 0-100)",
        "shadowcar.shadow.targets: 'ftp://x' (expected: comma list of http(s)://host:port base URLs, or eureka:VIPADDRESS)"),
        problems.stream().sorted().toList());
  }

  @Test
  void acceptsEurekaVipTargetsAndDecimalPercent() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "eureka:orders",
        "shadowcar.shadow.targets", "eureka:orders-shadow",
        "shadowcar.shadow.sample.percent", "0.5")));

    assertEquals(new TargetsSpec.Eureka("orders"), config.primary().targets());
    assertEquals(new TargetsSpec.Eureka("orders-shadow"), config.shadow().targets());
    assertEquals(0.5, config.shadow().samplePercent());
  }

  @Test
  void bindsRoutesAndRejectsUnknownSinks() {
    SidecarConfig config = ConfigBinder.bind(withDefaults(Map.of(
        "shadowcar.primary.targets", "http://p:1",
        "shadowcar.routes.orders.path", "/orders/**",
        "shadowcar.routes.orders.methods", "post,put",
        "shadowcar.routes.orders.sample.percent", "10")));

    ShadowSettings.RouteSettings route = config.shadow().routes().get(0);
    assertEquals("orders", route.name());
    assertEquals(List.of("POST", "PUT"), route.methods());
    assertEquals(Optional.of(10.0), route.samplePercent());

    assertEquals(List.of("shadowcar.routes.orders.sinks: 'http,s3' (expected: comma list of http, kafka)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1",
            "shadowcar.routes.orders.path", "/orders/**",
            "shadowcar.routes.orders.sinks", "http,s3")));
  }

  @Test
  void requiresATopicWhenKafkaIsOn() {
    assertEquals(List.of("shadowcar.shadow.kafka.topic: missing (expected: a topic name when "
            + "shadowcar.shadow.kafka.bootstrap is set)"),
        problems(Map.of("shadowcar.primary.targets", "http://p:1",
            "shadowcar.shadow.kafka.bootstrap", "127.0.0.1:9092")));
  }
}
