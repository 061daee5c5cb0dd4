package io.shadowcar.eureka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shadowcar.common.target.TargetUrl;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    assertEquals(List.of(TargetUrl.parse("http://127.0.0.1:9090"), TargetUrl.parse("http://127.0.0.2:8080")),
        VipInstances.up(json));
  }

  @Test
  void acceptsSingleApplicationAndInstanceAsObjects() {
    String json = "{\"applications\":{\"application\":{\"name\":\"ORDERS\",\"instance\":"
        + instance("127.0.0.1", 8080, "UP") + "}}}";

    assertEquals(List.of(TargetUrl.parse("http://127.0.0.1:8080")), VipInstances.up(json));
  }

  /** One UP instance at 10.0.0.1 with the given port settings, in an applications document. */
  private static String withPorts(String ports) {
    return "{\"applications\":{\"application\":[{\"instance\":[{\"ipAddr\":\"10.0.0.1\",\"status\":\"UP\","
        + ports + "}]}]}}";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"port\":{\"$\":8080,\"@enabled\":\"true\"},\"securePort\":{\"$\":8443,\"@enabled\":\"true\"} | https://10.0.0.1:8443",
      "\"port\":{\"$\":80,\"@enabled\":\"false\"},\"securePort\":{\"$\":8443,\"@enabled\":\"true\"} | https://10.0.0.1:8443",
      "\"port\":{\"$\":8080,\"@enabled\":\"true\"},\"securePort\":{\"$\":443,\"@enabled\":\"false\"} | http://10.0.0.1:8080",
      "\"port\":{\"$\":0,\"@enabled\":\"true\"} | ''",
      "\"port\":{\"$\":80,\"@enabled\":\"false\"} | ''"})
  void callsAnInstanceOverTlsWhenItEnablesItsSecurePort(String ports, String expected) {
    List<TargetUrl> want = expected.isEmpty() ? List.of() : List.of(TargetUrl.parse(expected));
    assertEquals(want, VipInstances.up(withPorts(ports)));
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
