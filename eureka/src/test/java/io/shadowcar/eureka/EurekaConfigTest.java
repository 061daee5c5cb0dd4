package io.shadowcar.eureka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EurekaConfigTest {

  private static final List<URI> EUREKA = List.of(URI.create("http://127.0.0.1:8761/eureka"));

  @Test
  void defaultsAreDisabledWithEurekasUsualTimings() {
    EurekaConfig config = EurekaConfig.defaults();

    assertFalse(config.enabled());
    assertEquals(Duration.ofSeconds(30), config.heartbeatInterval());
    assertEquals(Duration.ofSeconds(90), config.leaseDuration());
    assertEquals(List.of(EurekaConfig.DEFAULT_SERVICE_URL), config.serviceUrls());
  }

  @Test
  void derivesIdVipHostAndAdminUrlsFromTheManagedService() {
    EurekaConfig config = EurekaConfig.forInstance(EUREKA, "Orders", "10.1.2.3", 8080, URI.create("http://10.1.2.3:7070/"));

    assertEquals("ORDERS", config.eurekaAppName());
    assertEquals("orders", config.vipAddress());
    assertEquals("10.1.2.3", config.instanceHost());
    assertEquals("10.1.2.3:orders:8080", config.instanceId());
    assertEquals(URI.create("http://10.1.2.3:7070/healthcheck"), config.healthCheckUrl());
    assertEquals(URI.create("http://10.1.2.3:7070/api/status"), config.statusPageUrl());
  }

  @Test
  void rejectsEnabledConfigWithoutTheManagedServicesPort() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EurekaConfig.forInstance(EUREKA, "orders", "10.1.2.3", 0, URI.create("http://x:7070")));
    assertEquals("instancePort: 0 (expected: the managed service's port, 1..65535)", e.getMessage());
  }

  @Test
  void rejectsAppNamesThatCannotBeAPathSegment() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EurekaConfig.forInstance(EUREKA, "my app", "10.1.2.3", 8080, URI.create("http://x:7070")));
    assertEquals("app: my app (expected: non-empty, letters, digits and ._:@-)", e.getMessage());
  }

  static Stream<Arguments> badTimings() {
    return Stream.of(
        Arguments.of(30_000, 30_000, 1_000, 2_000, "leaseDuration: 30000 (expected: milliseconds > heartbeat 30000)"),
        Arguments.of(30_000, 90_000, 5_000, 1_000, "retryMax: 1000 (expected: milliseconds >= retry.min 5000)"),
        Arguments.of(0, 90_000, 1_000, 2_000, "heartbeatInterval: 0 (expected: milliseconds > 0)"),
        Arguments.of(1_000, 2_500, 1_000, 2_000, "leaseDuration: 2500 (expected: whole seconds in milliseconds)"));
  }

  @ParameterizedTest
  @MethodSource("badTimings")
  void rejectsInconsistentTimings(long heartbeat, long lease, long retryMin, long retryMax, String message) {
    EurekaConfig config = EurekaConfig.forInstance(EUREKA, "orders", "10.1.2.3", 8080, URI.create("http://x:7070"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.withTimings(
        Duration.ofMillis(heartbeat), Duration.ofMillis(lease), Duration.ZERO, Duration.ofMillis(retryMin),
        Duration.ofMillis(retryMax)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void rejectsNonHttpServiceUrls() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EurekaConfig(false,
        List.of(URI.create("eureka:8761")), "", "", "", "", 0, "", null, null, Map.of(), Duration.ofSeconds(30),
        Duration.ofSeconds(90), Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
        Duration.ofSeconds(1)));
    assertEquals("serviceUrls: eureka:8761 (expected: http(s)://host:port/eureka)", e.getMessage());
  }
}
