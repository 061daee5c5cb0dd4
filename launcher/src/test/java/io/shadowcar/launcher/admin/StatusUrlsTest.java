package io.shadowcar.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.eureka.EurekaConfig;
import io.shadowcar.launcher.config.ListenAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusUrlsTest {

  private static EurekaConfig registering(String instanceIp, int statusPort) {
    return EurekaConfig.forInstance(List.of(URI.create("http://eureka:8761/eureka")), "orders", instanceIp, 8080,
        URI.create("http://" + instanceIp + ":" + statusPort));
  }

  @Test
  void warnsOnceWhenTheInstancesAddressPointsAtALoopbackOnlyPort() {
    Optional<String> warning = StatusUrls.warning(registering("10.0.0.5", 7070), new ListenAddress("127.0.0.1", 7070),
        "shadowcar.admin.host");
    assertTrue(warning.isPresent());
    assertEquals("Eureka registers healthCheckUrl http://10.0.0.5:7070/healthcheck and statusPageUrl "
        + "http://10.0.0.5:7070/api/status, but that port listens on 127.0.0.1 only: balancers and Eureka clients on "
        + "other hosts cannot reach them. Listen where 10.0.0.5 reaches (shadowcar.admin.host=0.0.0.0), or use the "
        + "health port (shadowcar.health.host / shadowcar.health.port)", warning.get());
  }

  @Test
  void warnsWhenThePortListensOnAnotherAddress() {
    assertTrue(StatusUrls.warning(registering("10.0.0.5", 7071), new ListenAddress("10.0.0.9", 7071),
        "shadowcar.health.host").isPresent());
  }

  @Test
  void saysNothingWhenTheUrlsCanBeReached() {
    assertEquals(Optional.empty(), StatusUrls.warning(registering("10.0.0.5", 7071),
        new ListenAddress("0.0.0.0", 7071), "shadowcar.health.host"));
    assertEquals(Optional.empty(), StatusUrls.warning(registering("10.0.0.5", 7071),
        new ListenAddress("10.0.0.5", 7071), "shadowcar.health.host"));
    assertEquals(Optional.empty(), StatusUrls.warning(registering("127.0.0.1", 7070),
        new ListenAddress("127.0.0.1", 7070), "shadowcar.admin.host"), "a test on one machine");
    assertEquals(Optional.empty(), StatusUrls.warning(EurekaConfig.defaults(), new ListenAddress("127.0.0.1", 7070),
        "shadowcar.admin.host"), "registration off");
  }
}
