package io.shadowcar.eureka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VipInstancesTest {

  private static String instance(String ip, int port, String status) {
    return "{\"instanceId\":\"" + ip + ":" + port + "\",\"app\":\"ORDERS\",\"ipAddr\":\"" + ip + "\",\"status\":\""
        + status + "\",\"port\":{\"$\":" + port + ",\"@enabled\":\"true\"},"
        + "\"securePort\":{\"$\":443,\"@enabled\":\"false\"},\"vipAddress\":\"orders\"}";
  }

  @Test
  void keepsOnlyUpInstancesSorted() {
    String json = "{\"applications\":{\"versions__delta\":\"-1\",\"application\":[{\"name\":\"ORDERS\",\"instance\":["
        + instance("127.0.0.2", 8080, "UP") + "," + instance("127.0.0.1", 8080, "DOWN") + ","
        + instance("127.0.0.1", 9090, "UP") + "," + instance("127.0.0.3", 8080, "OUT_OF_SERVICE") + ","
        + instance("127.0.0.4", 8080, "STARTING") + "]}]}}";

    assertEquals(List.of(URI.create("http://127.0.0.1:9090"), URI.create("http://127.0.0.2:8080")),
        VipInstances.up(json));
  }

  @Test
  void acceptsSingleApplicationAndInstanceAsObjects() {
    String json = "{\"applications\":{\"application\":{\"name\":\"ORDERS\",\"instance\":"
        + instance("127.0.0.1", 8080, "UP") + "}}}";

    assertEquals(List.of(URI.create("http://127.0.0.1:8080")), VipInstances.up(json));
  }

  @Test
  void usesSecurePortWhenOnlyItIsEnabled() {
    String json = "{\"applications\":{\"application\":[{\"instance\":[{\"ipAddr\":\"10.0.0.1\",\"status\":\"UP\","
        + "\"port\":{\"$\":80,\"@enabled\":\"false\"},\"securePort\":{\"$\":8443,\"@enabled\":\"true\"}}]}]}}";

    assertEquals(List.of(URI.create("https://10.0.0.1:8443")), VipInstances.up(json));
  }

  @Test
  void emptyVipGivesEmptyList() {
    assertEquals(List.of(), VipInstances.up(
        "{\"applications\":{\"versions__delta\":\"-1\",\"apps__hashcode\":\"\",\"application\":[]}}"));
  }

  @Test
  void rejectsAnswersThatAreNotEurekaApplications() {
    assertThrows(IllegalArgumentException.class, () -> VipInstances.up("<html>gateway error</html>"));
    assertThrows(IllegalArgumentException.class, () -> VipInstances.up("{\"error\":\"x\"}"));
  }

  @Test
  void readsVipFromEurekaTargetsAndLeavesUrlListsAlone() {
    assertEquals(Optional.of("orders"), EurekaVipDiscovery.vipOf(" eureka:orders "));
    assertEquals(Optional.of("orders-v2"), EurekaVipDiscovery.vipOf("EUREKA:orders-v2"));
    assertEquals(Optional.empty(), EurekaVipDiscovery.vipOf("http://127.0.0.1:8080,http://127.0.0.1:8081"));
    assertEquals(Optional.empty(), EurekaVipDiscovery.vipOf(""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EurekaVipDiscovery.vipOf("eureka:"));
    assertEquals("targets: 'eureka:' (expected: eureka:VIP with letters, digits, ._:@-)", e.getMessage());
  }
}
