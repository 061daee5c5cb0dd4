package io.shadowcar.launcher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shadowcar.launcher.config.KnownSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What deploy/kubernetes/shadowcar.yaml promises, checked against the code and the config it ships: the sidecar is
 * native, its probes hit the right ports and paths, the Service reaches the traffic port, the shutdown fits the drain,
 * and both ConfigMaps hold only known keys (the dynamic one only runtime keys, read from its mounted directory).
 */
class DeploymentManifestTest {

  private static final String MANIFEST = DeploymentManifestSchemaTest.MANIFEST;
  private final List<JsonNode> documents = RepositoryFiles.yamlDocuments(MANIFEST);
  private final JsonNode deployment = DeploymentManifestSchemaTest.deployment();
  private final PodSpec pod = PodSpec.of(deployment);
  private final JsonNode sidecar = pod.initContainer("shadowcar");
  private final Map<String, String> config = RepositoryFiles.properties(configMapFile("shadowcar-config",
      "shadowcar.properties"));

  @Test
  void shadowcarIsANativeSidecarInFrontOfTheApp() {
    assertEquals("Always", sidecar.path("restartPolicy").asText());
    assertEquals(List.of("--config", "/etc/shadowcar/config/shadowcar.properties"), texts(sidecar.path("args")));
    String configDir = PodSpec.mount(sidecar, pod.volumeOfConfigMap("shadowcar-config")).path("mountPath").asText();
    assertEquals("/etc/shadowcar/config", configDir);
    assertTrue(config.get("shadowcar.primary.targets").startsWith("http://127.0.0.1:"),
        "the app is reached over the pod's loopback");
  }

  @Test
  void probesHitTheConfiguredPortsAndTheRightHealthRoutes() {
    int proxyPort = Integer.parseInt(config.get("shadowcar.proxy.port"));
    int healthPort = Integer.parseInt(config.get("shadowcar.health.port"));
    // started = the proxy accepts (bound last); /ready would wait for the app, which starts only after this probe
    assertEquals(proxyPort, PodSpec.portNumber(sidecar, sidecar.at("/startupProbe/tcpSocket/port")));
    assertEquals(healthPort, PodSpec.portNumber(sidecar, sidecar.at("/readinessProbe/httpGet/port")));
    assertEquals(ProbeRoutesTest.READINESS, sidecar.at("/readinessProbe/httpGet/path").asText());
    assertEquals(healthPort, PodSpec.portNumber(sidecar, sidecar.at("/livenessProbe/httpGet/port")));
    assertEquals(ProbeRoutesTest.LIVENESS, sidecar.at("/livenessProbe/httpGet/path").asText());
    assertNotEquals("/healthcheck", sidecar.at("/livenessProbe/httpGet/path").asText(),
        "liveness must not follow the app's checks");
    // the kubelet probes the pod IP: the read-only health port listens off loopback, the admin port does not
    assertEquals("0.0.0.0", config.get("shadowcar.health.host"));
    assertEquals("127.0.0.1", config.get("shadowcar.admin.host"));
    assertEquals("0.0.0.0", config.get("shadowcar.proxy.host"));
  }

  @Test
  void theServiceSendsTrafficToTheProxyPortOnly() {
    JsonNode service = document("Service", "orders");
    assertEquals(deployment.at("/spec/selector/matchLabels"), service.at("/spec/selector"));
    assertEquals(1, service.at("/spec/ports").size(), "the admin port stays off the Service");
    assertEquals(Integer.parseInt(config.get("shadowcar.proxy.port")),
        PodSpec.portNumber(sidecar, service.at("/spec/ports/0/targetPort")));
  }

  @Test
  void shadowCopiesGoToTheCandidateService() {
    JsonNode candidate = document("Service", "orders-candidate");
    int port = candidate.at("/spec/ports/0/port").asInt();
    assertEquals("http://orders-candidate:" + port, config.get("shadowcar.shadow.targets"));
  }

  @Test
  void theGracePeriodCoversEveryPreStopTheDrainAndTheFlush() {
    int drainSeconds = Integer.parseInt(config.getOrDefault("shadowcar.proxy.drainSeconds",
        KnownSettings.defaults().get("shadowcar.proxy.drainSeconds")));
    // the sidecar keeps serving, not ready, for this long before its drain begins
    int notReadySeconds = (int) Math.ceil(Long.parseLong(config.getOrDefault(
        "shadowcar.proxy.shutdown.notReadyDelay.ms",
        KnownSettings.defaults().get("shadowcar.proxy.shutdown.notReadyDelay.ms"))) / 1000.0);
    int preStops = pod.containers().stream().mapToInt(PodSpec::preStopSeconds).sum();
    assertTrue(PodSpec.preStopSeconds(pod.container("app")) > 0,
        "the app, stopped first, waits for the endpoints to forget the pod");
    int flushSeconds = 10; // the diff finishes what it holds for up to 10 s (docs/operations.md, Shutdown)
    int grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt();
    assertTrue(grace >= preStops + notReadySeconds + drainSeconds + flushSeconds,
        "grace " + grace + " s < preStop " + preStops + " + not ready " + notReadySeconds + " + drain " + drainSeconds
            + " + flush " + flushSeconds);
  }

  @Test
  void bothConfigMapsHoldOnlyKnownKeysAndTheDynamicOneOnlyRuntimeKeys() {
    ConfigKeys.assertAllKnown("shadowcar-config", config);
    Map<String, String> dynamic = RepositoryFiles.properties(configMapFile("shadowcar-dynamic", "dynamic.properties"));
    assertFalse(dynamic.isEmpty());
    ConfigKeys.assertAllKnown("shadowcar-dynamic", dynamic);
    ConfigKeys.assertRuntimeOnly("shadowcar-dynamic", dynamic);
  }

  @Test
  void theDynamicFileIsReadFromAMountedDirectorySoUpdatesArrive() {
    JsonNode mount = PodSpec.mount(sidecar, pod.volumeOfConfigMap("shadowcar-dynamic"));
    assertFalse(mount.has("subPath"), "a subPath mount never sees ConfigMap updates");
    assertEquals(mount.path("mountPath").asText() + "/dynamic.properties",
        config.get("shadowcar.config.dynamic.file"));
  }

  @Test
  void theSidecarRunsWithTheImagesJvmFlags() {
    String javaOpts = "";
    for (JsonNode env : sidecar.path("env")) {
      if (env.path("name").asText().equals("JAVA_OPTS")) {
        javaOpts = env.path("value").asText();
      }
    }
    assertTrue(javaOpts.startsWith(DockerImageTest.imageJavaOpts()), javaOpts);
    assertEquals(sidecar.at("/resources/requests/memory"), sidecar.at("/resources/limits/memory"));
  }

  private String configMapFile(String name, String key) {
    JsonNode data = document("ConfigMap", name).path("data");
    assertTrue(data.has(key), name + " has no " + key);
    return data.path(key).asText();
  }

  private JsonNode document(String kind, String name) {
    return documents.stream()
        .filter(doc -> doc.path("kind").asText().equals(kind) && doc.at("/metadata/name").asText().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + MANIFEST));
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
