package io.shadowcar.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.ConfigProblem;
import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.proxy.tls.ServerTls;
import io.shadowcar.testkit.tls.TestCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --check-config} and a start say about {@code shadowcar.admin.tls.*}: one line per fault, on its key. */
class AdminTlsConfigTest {

  private final TestCertificates ca = TestCertificates.authority("admin config CA");
  @TempDir Path dir;

  private static SidecarConfig bind(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(KnownSettings.defaults());
    all.put("shadowcar.primary.targets", "http://p:1");
    all.putAll(values);
    return ConfigBinder.bind(ConfigSnapshot.of(all));
  }

  private static List<String> problems(Map<String, String> values) {
    return assertThrows(InvalidConfigException.class, () -> bind(values)).problems().stream()
        .map(ConfigProblem::toString).toList();
  }

  private Map<String, String> files(Path cert, Path key) {
    return Map.of("shadowcar.admin.tls.certFile", cert.toString(), "shadowcar.admin.tls.keyFile", key.toString());
  }

  @Test
  void aMatchingPairServesTheAdminPortOverTlsAndNeitherKeepsItPlain() {
    ca.issue("127.0.0.1").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));

    SidecarConfig config = bind(Map.of("shadowcar.admin.tls.certFile", dir.resolve("tls.crt").toString(),
        "shadowcar.admin.tls.keyFile", dir.resolve("tls.key").toString(), "shadowcar.admin.tls.pollSeconds", "30"));

    assertEquals(Optional.of(new ServerTls(dir.resolve("tls.crt"), dir.resolve("tls.key"), 30)), config.adminTls());
    assertEquals(Optional.empty(), bind(Map.of()).adminTls());
    assertEquals(Optional.empty(), config.proxy().serverTls(), "the traffic port has keys of its own");
  }

  @Test
  void aCertificateWithoutItsKeyIsOneProblem() {
    assertEquals(List.of("shadowcar.admin.tls.keyFile: missing (expected: set together with "
        + "shadowcar.admin.tls.certFile (a PEM file))"), problems(Map.of("shadowcar.admin.tls.certFile", "/x.crt")));
  }

  @Test
  void anUnreadableFileIsOneProblemOnTheCertFile() {
    ca.issue("127.0.0.1").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));

    List<String> problems = problems(files(dir.resolve("tls.crt"), dir.resolve("missing.key")));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("shadowcar.admin.tls.certFile: '" + dir.resolve("tls.crt") + "' (expected: "
        + "a PEM certificate chain whose key is shadowcar.admin.tls.keyFile (cannot read " + dir.resolve("missing.key")),
        problems.get(0));
  }

  @Test
  void aKeyOfAnotherCertificateIsOneProblemOnTheCertFile() {
    ca.issue("127.0.0.1").write(dir.resolve("tls.crt"), dir.resolve("unused.key"));
    ca.issue("127.0.0.1").write(dir.resolve("unused.crt"), dir.resolve("tls.key"));

    List<String> problems = problems(files(dir.resolve("tls.crt"), dir.resolve("tls.key")));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).endsWith(dir.resolve("tls.key") + " is not the private key of the certificate in "
        + dir.resolve("tls.crt") + "))"), problems.get(0));
  }

  @Test
  void withoutAHealthPortEurekaIsGivenHttpsUrlsOfATlsAdminPort() {
    ca.issue("10.0.0.5").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    Map<String, String> values = new HashMap<>(files(dir.resolve("tls.crt"), dir.resolve("tls.key")));
    values.putAll(Map.of("shadowcar.health.port", "-1", "shadowcar.eureka.instanceIp", "10.0.0.5"));

    assertEquals(URI.create("https://10.0.0.5:7070/healthcheck"), bind(values).eureka().healthCheckUrl());
  }
}
