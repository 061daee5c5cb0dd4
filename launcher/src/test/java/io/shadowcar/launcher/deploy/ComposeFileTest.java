package io.shadowcar.launcher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml without a Docker engine: the sample services start real classes with flags their parser
 * accepts, the sidecar's mounted config names those services and ports and holds only known keys, its dynamic file
 * is a mounted directory with runtime keys only, and the traffic generator calls the sidecar with bounded calls.
 */
class ComposeFileTest {

  private static final String SAMPLE_SERVICE = "io.shadowcar.launcher.demo.SampleService";
  private final JsonNode services = RepositoryFiles.yaml("docker/compose.yaml").path("services");

  @Test
  void theSampleServicesStartARealClassWithAcceptedFlags() throws Exception {
    Map<String, Integer> ports = samplePorts();
    assertEquals(Map.of("v1", 8081, "v1-secondary", 8083, "v2", 8082), ports);
    assertEquals("v2", sampleOption("v2", "variant").toLowerCase(Locale.ROOT));
    assertEquals("v1", sampleOption("v1-secondary", "variant").toLowerCase(Locale.ROOT));
    assertEquals("0.0.0.0", sampleOption("v1", "host"), "reachable from the sidecar's container");
  }

  @Test
  void theSidecarsConfigNamesTheSampleServicesAndPublishesItsPorts() throws Exception {
    Map<String, String> config = sidecarConfig();
    ConfigKeys.assertAllKnown("docker/config/shadowcar.properties", config);
    Map<String, Integer> ports = samplePorts();
    assertEquals("http://v1:" + ports.get("v1"), config.get("shadowcar.primary.targets"));
    assertEquals("http://v2:" + ports.get("v2"), config.get("shadowcar.shadow.targets"));
    assertEquals("http://v1-secondary:" + ports.get("v1-secondary"),
        config.get("shadowcar.shadow.secondary.targets"));
    URI check = URI.create(config.get("shadowcar.checks.primary.http"));
    assertEquals(ports.get(check.getHost()), check.getPort());

    List<String> published = texts(services.at("/sidecar/ports"));
    String proxyPort = config.get("shadowcar.proxy.port");
    String adminPort = config.get("shadowcar.admin.port");
    assertEquals(List.of(proxyPort + ":" + proxyPort, adminPort + ":" + adminPort), published);
    assertEquals("0.0.0.0", config.get("shadowcar.admin.host"), "a published port must not be bound to loopback");
  }

  @Test
  void theDynamicFileIsAMountedDirectoryWithRuntimeKeysOnly() {
    Map<String, String> config = sidecarConfig();
    Path dynamic = hostPath(config.get("shadowcar.config.dynamic.file"));
    Map<String, String> values = RepositoryFiles.properties(RepositoryFiles.read(
        RepositoryFiles.root().relativize(dynamic).toString()));
    assertFalse(values.isEmpty());
    ConfigKeys.assertAllKnown("docker/dynamic/dynamic.properties", values);
    ConfigKeys.assertRuntimeOnly("docker/dynamic/dynamic.properties", values);
    assertTrue(texts(services.at("/sidecar/volumes")).stream()
        .anyMatch(volume -> volume.endsWith(":/var/lib/shadowcar")), "the diff store is on a volume");
  }

  @Test
  void theTrafficGeneratorCallsTheSidecarWithBoundedCalls() {
    JsonNode traffic = services.path("traffic");
    assertEquals("service_healthy", traffic.at("/depends_on/sidecar/condition").asText());
    String script = String.join("\n", texts(traffic.path("command")));
    assertTrue(script.contains("http://sidecar:" + sidecarConfig().get("shadowcar.proxy.port") + "/"), script);
    long curls = script.lines().filter(line -> line.contains("curl ")).count();
    long bounded = script.lines().filter(line -> line.contains("curl ") && line.contains("--max-time")).count();
    assertTrue(curls > 0);
    assertEquals(curls, bounded, "every curl has --max-time");
  }

  /** Compose service name to the port its SampleService listens on, for every service that runs one. */
  private Map<String, Integer> samplePorts() throws Exception {
    Map<String, Integer> ports = new HashMap<>();
    for (Map.Entry<String, JsonNode> service : services.properties()) {
      List<String> entrypoint = texts(service.getValue().path("entrypoint"));
      if (entrypoint.contains(SAMPLE_SERVICE)) {
        Class.forName(SAMPLE_SERVICE).getMethod("main", String[].class);
        ports.put(service.getKey(), (Integer) option(service.getKey(), "port"));
      }
    }
    return ports;
  }

  private String sampleOption(String service, String name) throws Exception {
    return String.valueOf(option(service, name));
  }

  /** One field of the service's command line as SampleService's own parser reads it (so an unknown flag fails). */
  private Object option(String service, String name) throws Exception {
    Class<?> options = Class.forName("io.shadowcar.launcher.demo.SampleOptions");
    Method parse = options.getDeclaredMethod("parse", String[].class);
    parse.setAccessible(true);
    Object parsed = parse.invoke(null, (Object) texts(services.path(service).path("command")).toArray(String[]::new));
    Method field = options.getDeclaredMethod(name);
    field.setAccessible(true);
    return field.invoke(parsed);
  }

  private Map<String, String> sidecarConfig() {
    List<String> command = texts(services.at("/sidecar/command"));
    assertEquals("--config", command.get(0));
    return RepositoryFiles.properties(RepositoryFiles.read(
        RepositoryFiles.root().relativize(hostPath(command.get(1))).toString()));
  }

  /** The repository file behind a path in the sidecar's container, through its bind mounts. */
  private Path hostPath(String containerPath) {
    for (String volume : texts(services.at("/sidecar/volumes"))) {
      String[] parts = volume.split(":");
      if (parts[0].startsWith("./") && containerPath.startsWith(parts[1] + "/")) {
        Path file = RepositoryFiles.file("docker").resolve(parts[0])
            .resolve(containerPath.substring(parts[1].length() + 1)).normalize();
        assertTrue(Files.isRegularFile(file), containerPath + " -> " + file + ": missing");
        return file;
      }
    }
    throw new AssertionError(containerPath + " is on no bind mount of the sidecar");
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
