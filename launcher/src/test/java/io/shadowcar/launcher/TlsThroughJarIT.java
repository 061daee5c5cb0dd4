package io.shadowcar.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.testkit.backend.RecordingBackend;
import io.shadowcar.testkit.tls.TestCertificates;
import io.shadowcar.testkit.tls.TlsProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real jar with TLS on every leg: a caller that verifies the traffic port's certificate, an {@code https://}
 * primary and an {@code https://} shadow, all signed by a test CA the sidecar is told to trust.
 */
class TlsThroughJarIT extends JarTestSupport {

  private final TestCertificates ca = TestCertificates.authority("shadowcar jar test CA");

  private RecordingBackend tlsBackend(String name, RecordingBackend.Responder responder) {
    return RecordingBackend.startTls(vertx, ca.issue(name), responder);
  }

  private HttpClient verifyingClient() {
    return HttpClient.newBuilder().sslContext(TlsProbe.trusting(ca)).version(HttpClient.Version.HTTP_2).build();
  }

  /** {@code https://} targets trusted through the test CA's file: the primary at {@code primaryHost}, plus {@code more}. */
  private Path tlsTargetsConfig(String primaryHost, RecordingBackend primary, RecordingBackend shadow,
      String... more) throws Exception {
    Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
    List<String> lines = new java.util.ArrayList<>(List.of(
        "shadowcar.primary.targets=https://" + primaryHost + ":" + primary.port(),
        "shadowcar.primary.tls.caFile=" + caFile,
        "shadowcar.shadow.targets=https://127.0.0.1:" + shadow.port(),
        "shadowcar.shadow.tls.caFile=" + caFile));
    lines.addAll(List.of(more));
    return config(lines.toArray(String[]::new));
  }

  @Test
  void httpsCallerHttpsPrimaryAndHttpsShadow() throws Exception {
    RecordingBackend primary = tlsBackend("localhost", (request, response) -> response.end("primary"));
    RecordingBackend shadow = tlsBackend("127.0.0.1", RecordingBackend.Responder.ok());
    ca.issue("localhost", "127.0.0.1").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    Path config = tlsTargetsConfig("localhost", primary, shadow,
        "shadowcar.shadow.tls.verifyHostname=false",
        "shadowcar.proxy.tls.certFile=" + dir.resolve("tls.crt"),
        "shadowcar.proxy.tls.keyFile=" + dir.resolve("tls.key"));

    try (SidecarProcess sidecar = launch(config)) {
      HttpResponse<String> answer = verifyingClient().send(HttpRequest.newBuilder(
          URI.create("https://localhost:" + sidecar.proxyPort() + "/orders/7")).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());

      assertEquals(200, answer.statusCode());
      assertEquals("primary", answer.body());
      assertEquals(HttpClient.Version.HTTP_2, answer.version(), "ALPN chose h2 on the traffic port");
      assertEquals("localhost", primary.single().serverName(), "SNI towards the primary");
      await().atMost(Duration.ofSeconds(30)).until(() -> shadow.requests().size() == 1);
      assertEquals("/orders/7", shadow.single().uri());
      assertTrue(sidecar.output().contains("proxy listening on https://127.0.0.1:" + sidecar.proxyPort()),
          sidecar.output());
      assertTrue(sidecar.output().lines().anyMatch(line -> line.contains("WARN")
          && line.contains("shadowcar.shadow.tls.verifyHostname=false")), sidecar.output());
    }
  }

  @Test
  void http2ToThePrimaryAndTheShadowWhenAlpnOffersItAndAnHttpsAdminPort() throws Exception {
    RecordingBackend primary = tlsBackend("127.0.0.1", (request, response) -> response.end("primary"));
    RecordingBackend shadow = tlsBackend("127.0.0.1", RecordingBackend.Responder.ok());
    ca.issue("localhost", "127.0.0.1").write(dir.resolve("admin.crt"), dir.resolve("admin.key"));
    Path config = tlsTargetsConfig("127.0.0.1", primary, shadow,
        "shadowcar.primary.tls.alpn=h2,http/1.1",
        "shadowcar.shadow.tls.alpn=h2,http/1.1",
        "shadowcar.admin.tls.certFile=" + dir.resolve("admin.crt"),
        "shadowcar.admin.tls.keyFile=" + dir.resolve("admin.key"));

    try (SidecarProcess sidecar = launch(config)) {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + sidecar.proxyPort() + "/orders/8")).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("primary", answer.body());
      assertEquals(io.vertx.core.http.HttpVersion.HTTP_2, primary.single().version());
      await().atMost(Duration.ofSeconds(30)).until(() -> shadow.requests().size() == 1);
      assertEquals(io.vertx.core.http.HttpVersion.HTTP_2, shadow.single().version());

      HttpResponse<String> metrics = verifyingClient().send(HttpRequest.newBuilder(
          URI.create("https://localhost:" + sidecar.adminPort() + "/metrics")).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("shadowcar_tls_certificate_expiry_seconds{listener=\"admin\"}"),
          metrics.body());
      assertTrue(sidecar.output().contains("admin page https://127.0.0.1:" + sidecar.adminPort() + "/"),
          sidecar.output());
    }
  }

  @Test
  void checkConfigReportsABadCaFileAndHalfConfiguredPorts() throws Exception {
    Path notPem = java.nio.file.Files.writeString(dir.resolve("not.pem"), "hello\n");
    Path config = config(
        "shadowcar.primary.targets=https://10.0.0.5:8443",
        "shadowcar.primary.tls.caFile=" + notPem,
        "shadowcar.proxy.tls.keyFile=" + dir.resolve("tls.key"),
        "shadowcar.admin.tls.certFile=" + dir.resolve("admin.crt"));
    try (SidecarProcess run = SidecarProcess.launch(dir, List.of(), "--config", config.toString(),
        "--check-config")) {
      assertEquals(1, run.exitCode(), run.output());
      List<String> problems = run.output().lines().filter(l -> l.startsWith("invalid config: ")).sorted().toList();
      assertEquals(3, problems.size(), run.output());
      assertEquals("invalid config: shadowcar.admin.tls.keyFile: missing (expected: set together with "
          + "shadowcar.admin.tls.certFile (a PEM file))", problems.get(0));
      assertTrue(problems.get(1).startsWith("invalid config: shadowcar.primary.tls.caFile: '" + notPem
          + "' (expected: a readable PEM file of CA certificates ("), problems.get(1));
      assertEquals("invalid config: shadowcar.proxy.tls.certFile: missing (expected: set together with "
          + "shadowcar.proxy.tls.keyFile (a PEM file))", problems.get(2));
    }
  }
}
